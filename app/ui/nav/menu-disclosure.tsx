'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The phone's navigation menu: a plain <details>, so it opens without script; the one thing script
 * adds is closing it once a link has taken the reader to another page (the layout, and so the menu, stays).
 */
export function MenuDisclosure({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  return (
    <details ref={ref} className={className}>
      <summary>
        <span aria-hidden="true">☰</span> Menu
      </summary>
      {children}
    </details>
  );
}
