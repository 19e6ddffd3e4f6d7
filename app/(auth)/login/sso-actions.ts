'use server';

import { signIn } from '@/auth';
import { OIDC_PROVIDER_ID, oidcConfigFromEnv } from '@/lib/auth/oidc';

/** Only same-site paths, so the sign-in page cannot be used to bounce someone elsewhere. */
function safeDestination(value: FormDataEntryValue | null): string {
  const path = typeof value === 'string' ? value : '';
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/';
}

/** Starts single sign-on: Auth.js answers with a redirect to the identity provider. */
export async function signInWithSsoAction(formData: FormData): Promise<void> {
  if (!oidcConfigFromEnv()) return;
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeDestination(formData.get('callbackUrl')) });
}
