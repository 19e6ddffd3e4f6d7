'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import styles from './snapshot.module.css';

const NEXT_KEYS = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ']);
const PREVIOUS_KEYS = new Set(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace']);

/**
 * Present and Print buttons, and the presentation itself: full screen, one slide at a time,
 * moved with the arrow keys, Page Up/Down (what clickers send) or space; Esc leaves.
 */
export function PresentationControls({ slides, label }: { slides: ReactNode[]; label: string }) {
  const [index, setIndex] = useState<number | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const presentButton = useRef<HTMLButtonElement>(null);
  const presenting = index !== null;
  const last = slides.length - 1;

  const leave = useCallback(() => {
    setIndex(null);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    presentButton.current?.focus();
  }, []);

  useEffect(() => {
    if (!presenting) return;
    const element = stage.current;
    element?.focus();
    // Full screen is a nicety: where the browser refuses it, the overlay still fills the window.
    if (element?.requestFullscreen && !document.fullscreenElement) void element.requestFullscreen().catch(() => {});
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      // Space on a focused button presses that button.
      if (event.key === ' ' && event.target instanceof HTMLButtonElement) return;
      if (NEXT_KEYS.has(event.key)) setIndex((i) => Math.min((i ?? 0) + 1, last));
      else if (PREVIOUS_KEYS.has(event.key)) setIndex((i) => Math.max((i ?? 0) - 1, 0));
      else if (event.key === 'Home') setIndex(0);
      else if (event.key === 'End') setIndex(last);
      else if (event.key === 'Escape') leave();
      else return;
      event.preventDefault();
    };
    // Esc while in full screen is taken by the browser: follow it out of the presentation too.
    const onFullscreenChange = () => {
      if (!document.fullscreenElement) leave();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFullscreenChange);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreenChange);
    };
  }, [presenting, last, leave]);

  return (
    <div className={styles.toolbar}>
      <button ref={presentButton} type="button" className="button button-primary" onClick={() => setIndex(0)}>
        Present
      </button>
      <button type="button" className="button" onClick={() => window.print()}>
        Print
      </button>
      {presenting && (
        <div
          ref={stage}
          className={styles.presentation}
          role="dialog"
          aria-modal="true"
          aria-label={`Presentation: ${label}`}
          tabIndex={-1}
          data-testid="presentation"
          data-slide={index}
        >
          <div className={styles.slide} aria-live="polite">
            {slides[index]}
          </div>
          <div className={styles.slideBar}>
            <span className={styles.slideBarLabel}>{label}</span>
            <span className={styles.slideNav}>
              <button
                type="button"
                className={styles.slideButton}
                onClick={() => setIndex(Math.max(index - 1, 0))}
                disabled={index === 0}
                aria-label="Previous slide"
              >
                ←
              </button>
              <span data-testid="slide-counter">
                {index + 1} / {slides.length}
              </span>
              <button
                type="button"
                className={styles.slideButton}
                onClick={() => setIndex(Math.min(index + 1, last))}
                disabled={index === last}
                aria-label="Next slide"
              >
                →
              </button>
            </span>
            <span className={styles.slideBarHint}>
              ← → to move · Esc to leave{' '}
              <button type="button" className={styles.slideButton} onClick={leave}>
                Close
              </button>
            </span>
          </div>
        </div>
      )}
    </div>
  );
}
