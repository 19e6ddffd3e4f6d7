import type { Metadata } from 'next';

/** Public snapshot links: not indexed, and no referrer that could carry the secret URL elsewhere. */
export const metadata: Metadata = {
  title: 'Board snapshot',
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

export default function SnapshotLinkLayout({ children }: { children: React.ReactNode }) {
  return children;
}
