import { CredentialsSignin } from 'next-auth';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authLogger } from '@/auth.config';

describe('the Auth.js logger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs a refused sign-in as one line without a stack', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    authLogger.error!(new CredentialsSignin());
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const line = warn.mock.calls[0].join(' ');
    expect(line).toBe('[auth] sign-in refused (credentials)');
    expect(line).not.toContain('\n');
  });

  it('says why when the refusal has its own code', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    class RateLimited extends CredentialsSignin {
      code = 'rate_limited';
    }
    authLogger.error!(new RateLimited());
    expect(warn).toHaveBeenCalledWith('[auth] sign-in refused (rate_limited)');
  });

  it('logs any other error in full', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = new Error('database unreachable');
    authLogger.error!(failure);
    expect(error).toHaveBeenCalledWith('[auth]', failure);
  });
});
