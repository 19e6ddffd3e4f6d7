'use client';

import { PageError } from '@/app/ui/errors/page-error';

/** A failed signed-in page, under the app's header. */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError error={error} retry={retry} />;
}
