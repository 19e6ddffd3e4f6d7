import { describe, expect, it } from 'vitest';
import { passwordWeakness, randomStrongPassword } from '@/lib/auth/password-strength';
import { DEMO_ORGANISATION, DEMO_PASSWORD } from '@/lib/db/seed/demo-company';

const nadia = { email: 'nadia.okafor@brightwave.example', organisationName: DEMO_ORGANISATION.name };

describe('password strength', () => {
  it.each(['password1234', 'aaaaaaaaaaaa', 'qwertyuiop12', 'welcome12345', 'Password2026!'])('refuses the common or patterned %s, saying why', (password) => {
    const weakness = passwordWeakness(password, nadia);
    expect(weakness).toMatch(/\w+.*\. \w+.*\.$/);
    expect(weakness).not.toContain('undefined');
  });

  it('says what is wrong with a common password in plain words', () => {
    expect(passwordWeakness('password1234', nadia)).toBe('This is similar to a commonly used password. Add more words that are less common.');
    expect(passwordWeakness('aaaaaaaaaaaa', nadia)).toMatch(/^Repeated characters like "aaa" are easy to guess\./);
  });

  it("refuses the organisation's name in any case or spelling of its separators", () => {
    for (const password of ['brightwave2026', 'Bright-Wave rocks 99!', 'my broadband is fast and fine']) {
      expect(passwordWeakness(password, nadia)).toBe("Do not use the organisation's name (Brightwave Broadband) in your password.");
    }
  });

  it("refuses the person's email, whole or by its parts", () => {
    for (const password of ['nadia.okafor-secret', 'okafor family holiday 1999', 'Nadia loves long walks']) {
      expect(passwordWeakness(password, nadia)).toBe('Do not use your email address in your password.');
    }
  });

  it("does not count the default organisation name's generic words", () => {
    expect(passwordWeakness('guard your company castle gates', { email: 'al@example.test', organisationName: 'Your company' })).toBeNull();
  });

  it('accepts a few unrelated words, and the passwords the demo and tests use', () => {
    for (const password of ['correct horse battery staple', DEMO_PASSWORD, 'another password entirely', 'lantern orchard violet compass']) {
      expect(passwordWeakness(password, nadia)).toBeNull();
    }
  });

  it('draws random passwords that pass', () => {
    const owner = { email: 'ops@example.test', organisationName: 'Ops' };
    for (let i = 0; i < 5; i++) expect(passwordWeakness(randomStrongPassword(owner), owner)).toBeNull();
  });
});
