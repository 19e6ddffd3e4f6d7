import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from '@/lib/auth/callback-url';

const HOST = 'scorecard.example.com';

describe('safeCallbackPath', () => {
  it('keeps a same-site path with its query', () => {
    expect(safeCallbackPath('/metrics/retention?period=2025-Q1', HOST)).toBe('/metrics/retention?period=2025-Q1');
  });

  it('accepts an absolute URL on this site (what the proxy sends) and keeps only its path', () => {
    expect(safeCallbackPath('https://scorecard.example.com/metrics/retention?period=2025-Q1', HOST)).toBe('/metrics/retention?period=2025-Q1');
    expect(safeCallbackPath('http://127.0.0.1:3000/snapshots?x=1#top', '127.0.0.1:3000')).toBe('/snapshots?x=1#top');
  });

  it('refuses another origin, however it is written', () => {
    for (const value of [
      'https://evil.example/metrics',
      'https://scorecard.example.com.evil.example/',
      'https://scorecard.example.com@evil.example/',
      'http://scorecard.example.com:8080/',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'data:text/html,hi',
    ]) {
      expect(safeCallbackPath(value, HOST), value).toBe('/');
    }
  });

  it('refuses newlines and other control characters', () => {
    expect(safeCallbackPath('/metrics\nSet-Cookie: x=1', HOST)).toBe('/');
    expect(safeCallbackPath('/metrics\r\n', HOST)).toBe('/');
    expect(safeCallbackPath('https://scorecard.example.com/\tmetrics', HOST)).toBe('/');
    expect(safeCallbackPath('/a\u0000b', HOST)).toBe('/');
  });

  it('sends anything else, and the sign-in page itself, to the scorecard', () => {
    expect(safeCallbackPath(undefined, HOST)).toBe('/');
    expect(safeCallbackPath('', HOST)).toBe('/');
    expect(safeCallbackPath('metrics', HOST)).toBe('/');
    expect(safeCallbackPath('/login?callbackUrl=/x', HOST)).toBe('/');
    expect(safeCallbackPath('https://scorecard.example.com/x', null)).toBe('/');
  });
});
