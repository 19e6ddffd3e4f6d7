import { describe, expect, it } from 'vitest';
import { deploymentProblems } from '@/lib/auth/deployment-check';

const SECRET = 'a-long-random-secret-0123456789abcdef';

describe('deploymentProblems', () => {
  it('refuses a production server without AUTH_URL, naming the setting', () => {
    const problems = deploymentProblems({ NODE_ENV: 'production', AUTH_SECRET: SECRET });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AUTH_URL is not set\./);
    expect(problems[0]).toContain('X-Forwarded-Host');
  });

  it('refuses a production server without AUTH_SECRET', () => {
    expect(deploymentProblems({ NODE_ENV: 'production', AUTH_URL: 'https://scorecard.example.com' })).toEqual([
      expect.stringMatching(/^AUTH_SECRET is not set\./),
    ]);
  });

  it('does not take trusting the Host header instead of AUTH_URL', () => {
    expect(deploymentProblems({ NODE_ENV: 'production', AUTH_SECRET: SECRET, AUTH_TRUST_HOST: 'true' })).toEqual([
      expect.stringMatching(/^AUTH_URL is not set\./),
    ]);
  });

  it('accepts a production server with AUTH_URL (or the older NEXTAUTH_URL) and a secret', () => {
    expect(deploymentProblems({ NODE_ENV: 'production', AUTH_SECRET: SECRET, AUTH_URL: 'https://scorecard.example.com' })).toEqual([]);
    expect(deploymentProblems({ NODE_ENV: 'production', AUTH_SECRET: SECRET, NEXTAUTH_URL: 'http://10.0.0.5:3000' })).toEqual([]);
  });

  it('needs no AUTH_URL on Vercel, whose proxy sets the forwarded host itself', () => {
    expect(deploymentProblems({ NODE_ENV: 'production', AUTH_SECRET: SECRET, VERCEL: '1' })).toEqual([]);
  });

  it('needs nothing in development or tests', () => {
    expect(deploymentProblems({ NODE_ENV: 'development' })).toEqual([]);
    expect(deploymentProblems({ NODE_ENV: 'test' })).toEqual([]);
  });

  it('refuses an AUTH_URL that is not an http(s) address, anywhere', () => {
    for (const value of ['scorecard.example.com', 'ftp://scorecard.example.com', 'javascript:alert(1)']) {
      expect(deploymentProblems({ NODE_ENV: 'development', AUTH_URL: value }), value).toEqual([
        expect.stringContaining(`AUTH_URL must be the app's public address`),
      ]);
    }
  });
});
