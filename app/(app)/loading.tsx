import styles from './loading.module.css';

/*
 * React streams a page that is still loading into a hidden element and reveals it with an inline
 * script. Without JavaScript that never runs, so this rule (inert when scripts run) shows the
 * streamed page and hides this placeholder: the pages work without JavaScript too.
 */
const NO_SCRIPT_REVEAL = `div[hidden][id^="S:"]{display:block!important}.${styles.shell}{display:none!important}`;

/**
 * Shown while a signed-in page's data loads: the shape of the scorecard, not a spinner. A <div>, not
 * a second <main>: the page's own <main> streams in beside it.
 */
export default function Loading() {
  return (
    <div className={`page ${styles.shell}`} aria-busy="true">
      <noscript>
        <style>{NO_SCRIPT_REVEAL}</style>
      </noscript>
      <p className={styles.status} role="status">
        Loading…
      </p>
      <div className={styles.title} />
      <div className="cards">
        {[0, 1, 2].map((i) => (
          <div key={i} className={`card ${styles.card}`} />
        ))}
      </div>
    </div>
  );
}
