import { deploymentProblems } from '@/lib/auth/deployment-check';

/** Runs once as the server starts, before any request: a production server missing its settings does not start. */
export function register() {
  // `next build` loads the app too; the settings are the running server's business.
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const problems = deploymentProblems();
  if (problems.length === 0) return;
  const message = `The server cannot start:\n- ${problems.join('\n- ')}`;
  // Thrown from here, Next logs it and then answers every request with a bare 500: stop instead.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    console.error(message);
    process.exit(1);
  }
  throw new Error(message);
}
