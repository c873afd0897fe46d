import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appHostPattern, checkAppHost, looksLikeUnknownSellsyApp } from '@/lib/app-hosts/host-rules';

describe('which addresses may be Sellsy’s app', () => {
  it.each([
    ['eu.sellsy.com', 'eu.sellsy.com', true],
    ['  https://app.sellsy.fr/peoples/12?tab=1 ', 'app.sellsy.fr', true],
    ['HTTPS://EU.Sellsy.COM/', 'eu.sellsy.com', true],
    ['crm.acme-gestion.fr', 'crm.acme-gestion.fr', false],
    // A look-alike is not Sellsy: it gets the warning, like any other domain.
    ['sellsy.com.evil.example', 'sellsy.com.evil.example', false],
    ['eusellsy.com', 'eusellsy.com', false],
  ])('takes %j as the host %s (Sellsy: %s)', (input, host, sellsy) => {
    expect(checkAppHost(input)).toEqual({ ok: true, host, sellsy });
  });

  it.each([
    ['http://eu.sellsy.com', 'not-https'],
    ['ftp://eu.sellsy.com', 'not-https'],
    ['go.sellsy.com', 'not-the-app'],
    ['https://help.sellsy.com/fr/articles/1', 'not-the-app'],
    ['sellsy.com', 'not-the-app'],
    ['api.sellsy.com', 'not-the-app'],
    ['login.sellsy.com', 'not-the-app'],
    ['', 'invalid'],
    ['localhost', 'invalid'],
    ['https://user:pass@eu.sellsy.com', 'invalid'],
    ['https://eu.sellsy.com:8443/', 'invalid'],
    ['*.sellsy.com', 'invalid'],
    ['eu.sellsy.com/*', 'ok'],
    ['https://[::1]/', 'invalid'],
    ['192.168.1.10', 'invalid'],
  ])('refuses %j (%s)', (input, reason) => {
    const check = checkAppHost(input);
    if (reason === 'ok') expect(check).toMatchObject({ ok: true, host: 'eu.sellsy.com' });
    else expect(check).toEqual({ ok: false, reason });
  });

  it('never lets through a host that is not https, not a plain name, or not the app, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (input) => {
        const check = checkAppHost(input);
        if (!check.ok) return;
        expect(check.host).toMatch(/^[a-z0-9.-]+$/);
        expect(['go.sellsy.com', 'help.sellsy.com', 'sellsy.com', 'api.sellsy.com', 'login.sellsy.com']).not.toContain(check.host);
        expect(appHostPattern(check.host)).toBe(`https://${check.host}/*`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a Sellsy-looking page where the extension does not run', () => {
  const running = ['www.sellsy.com', 'www.sellsy.fr'];
  it.each([
    ['https://eu.sellsy.com/peoples/12', 'eu.sellsy.com'],
    ['https://app.sellsy.fr/', 'app.sellsy.fr'],
    ['https://www.sellsy.com/peoples/12', undefined],
    ['https://go.sellsy.com/pricing', undefined],
    ['https://help.sellsy.com/fr/', undefined],
    // Sites a company keeps beside its app (a blog, a status page, developer docs) are not it.
    ['https://blog.sellsy.com/2026/10/nouveautes', undefined],
    ['https://status.sellsy.com/', undefined],
    ['https://developers.sellsy.com/', undefined],
    ['https://docs.sellsy.com/api/v2', undefined],
    ['https://support.sellsy.fr/', undefined],
    ['http://eu.sellsy.com/', undefined],
    ['https://crm.acme-gestion.fr/', undefined],
    ['chrome://extensions', undefined],
    ['not a url', undefined],
  ])('%s → %s', (url, offer) => {
    expect(looksLikeUnknownSellsyApp(url, running)).toBe(offer);
  });
});
