import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { authConfig } from './auth.config';
import { authenticateWithPassword } from '@/lib/auth/authenticate';
import { clientAddress } from '@/lib/auth/client-address';
import { getDb } from '@/lib/db';

if (process.env.NODE_ENV === 'production' && !process.env.AUTH_SECRET && process.env.NEXT_PHASE !== 'phase-production-build') {
  throw new Error('AUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and set it in the environment.');
}

class RateLimited extends CredentialsSignin {
  code = 'rate_limited';
}

const credentialsSchema = z.object({ email: z.string().max(320), password: z.string().max(1000) });

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const result = await authenticateWithPassword(
          await getDb(),
          parsed.data.email,
          parsed.data.password,
          clientAddress(request.headers),
        );
        if (!result.ok) {
          if (result.reason === 'rate_limited') throw new RateLimited();
          return null;
        }
        const { id, name, email, sessionVersion } = result.executive;
        return { id: String(id), name, email, sessionVersion };
      },
    }),
  ],
});
