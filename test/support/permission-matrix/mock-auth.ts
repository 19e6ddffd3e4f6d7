/**
 * Stands in for the root auth.ts (Auth.js): the session comes from mock-session, and the
 * sign-in/sign-out actions and the Auth.js endpoints are registered as public, never called.
 */
const notInThisTest = () => {
  throw new Error('Auth.js is not part of the permission-matrix test');
};

export const auth = async () => null;
export const signIn = notInThisTest;
export const signOut = notInThisTest;
export const handlers = { GET: notInThisTest, POST: notInThisTest };
