import { matrixState } from './state';

/** next/cache: revalidation needs a Next request; here it does nothing. */
export const revalidatePath = () => {};
export const revalidateTag = () => {};
export const updateTag = () => {};
export const refresh = () => {};

/** next/headers: a same-site request from localhost, with an in-memory cookie jar. */
export async function headers(): Promise<Headers> {
  return new Headers({ host: 'localhost:3000', 'x-forwarded-proto': 'http' });
}

export async function cookies() {
  const jar = matrixState.cookies;
  return {
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    has: (name: string) => jar.has(name),
    set: (name: string | { name: string; value: string }, value?: string) => {
      if (typeof name === 'string') jar.set(name, value ?? '');
      else jar.set(name.name, name.value);
    },
    delete: (name: string) => jar.delete(name),
  };
}

export async function draftMode() {
  return { isEnabled: false, enable: () => {}, disable: () => {} };
}
