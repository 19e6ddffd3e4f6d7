'use client';

import { PageError } from '@/app/ui/errors/page-error';

/** A page that failed where the app's header could not be drawn either (the signed-in check, a snapshot link). */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError error={error} retry={retry} standalone />;
}
