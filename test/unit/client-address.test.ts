import { describe, expect, it } from 'vitest';
import { clientAddress } from '@/lib/auth/client-address';

const headers = (xff: string) => new Headers({ 'x-forwarded-for': xff });

describe('clientAddress', () => {
  it('takes the address the nearest proxy saw, not the one the caller wrote', () => {
    // The caller sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
    expect(clientAddress(headers('1.2.3.4, 203.0.113.9'), {})).toBe('203.0.113.9');
    expect(clientAddress(headers('203.0.113.9'), {})).toBe('203.0.113.9');
  });

  it('goes as many hops from the right as are configured', () => {
    expect(clientAddress(headers('1.2.3.4, 203.0.113.9, 10.0.0.2'), { TRUSTED_PROXY_HOPS: '2' })).toBe('203.0.113.9');
    expect(clientAddress(headers('203.0.113.9'), { TRUSTED_PROXY_HOPS: '3' })).toBe('203.0.113.9');
  });

  it('falls back to X-Real-IP, else nothing', () => {
    expect(clientAddress(new Headers({ 'x-real-ip': '198.51.100.4' }), {})).toBe('198.51.100.4');
    expect(clientAddress(new Headers(), {})).toBeNull();
  });
});
