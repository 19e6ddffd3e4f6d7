'use server';

import { signIn } from '@/auth';
import { headers } from 'next/headers';
import { safeCallbackPath, siteHost } from '@/lib/auth/callback-url';
import { OIDC_PROVIDER_ID, oidcConfigFromEnv } from '@/lib/auth/oidc';

/** Starts single sign-on: Auth.js answers with a redirect to the identity provider. */
export async function signInWithSsoAction(formData: FormData): Promise<void> {
  if (!oidcConfigFromEnv()) return;
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeCallbackPath(formData.get('callbackUrl'), siteHost(await headers())) });
}
