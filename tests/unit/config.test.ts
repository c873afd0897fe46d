import { describe, expect, it } from 'vitest';
import { MatchPattern } from '#imports';
import { contentMatches, extensionPagesCsp, hostPermissions, readConfig } from '@/lib/config';

describe('readConfig', () => {
  it('defaults to the production services and no client id', () => {
    const config = readConfig({});
    expect(config).toEqual({
      sellsyAuthorizeUrl: 'https://login.sellsy.com/oauth2/authorization',
      sellsyTokenUrl: 'https://login.sellsy.com/oauth2/access-tokens',
      sellsyApiUrl: 'https://api.sellsy.com/v2',
      sellsyAppUrl: 'https://www.sellsy.com',
      sellsyClientId: undefined,
      alloApiUrl: 'https://api.withallo.com',
      alloDialerUrl: 'https://web.withallo.com?variant=dialer',
      sellsyAppHosts: ['www.sellsy.com', 'www.sellsy.fr'],
      extraMatches: [],
    });
    expect(contentMatches(config)).toEqual(['https://www.sellsy.com/*', 'https://www.sellsy.fr/*']);
    expect(hostPermissions(config)).toEqual([
      'https://login.sellsy.com/*',
      'https://api.sellsy.com/*',
      'https://api.withallo.com/*',
      'https://web.withallo.com/*',
    ]);
  });

  it('takes every address from the build variables', () => {
    const config = readConfig({
      WXT_SELLSY_TOKEN_URL: 'http://127.0.0.1:4010/oauth2/access-tokens',
      WXT_SELLSY_API_URL: 'http://127.0.0.1:4011/v2/',
      WXT_ALLO_API_URL: 'http://localhost:4012',
      WXT_ALLO_DIALER_URL: 'http://127.0.0.1:4013/?variant=dialer',
      WXT_SELLSY_CLIENT_ID: ' sandbox-client ',
      WXT_EXTRA_MATCHES: 'http://127.0.0.1/*, http://localhost/* ,',
    });
    expect(config.sellsyApiUrl).toBe('http://127.0.0.1:4011/v2');
    expect(config.sellsyClientId).toBe('sandbox-client');
    expect(contentMatches(config)).toEqual(['https://www.sellsy.com/*', 'https://www.sellsy.fr/*', 'http://127.0.0.1/*', 'http://localhost/*']);
    // Chromium ignores ports in host permissions: one entry per host.
    expect(hostPermissions(config)).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
  });

  it("runs the content script on Sellsy's app only: any script on its other sites could drive it", () => {
    const runsOn = (url: string) => contentMatches(readConfig({})).some((pattern) => new MatchPattern(pattern).includes(url));
    expect(runsOn('https://www.sellsy.com/peoples/42')).toBe(true);
    expect(runsOn('https://www.sellsy.fr/thirds/client/42')).toBe(true);
    expect(runsOn('https://go.sellsy.com/')).toBe(false);
    expect(runsOn('https://go.sellsy.com/contacts/42')).toBe(false);
    expect(runsOn('https://help.sellsy.com/fr/articles/1')).toBe(false);
    expect(runsOn('http://www.sellsy.com/')).toBe(false);
  });

  it("holds a host permission for the dialer's site, so its frame keeps Allo's own sign-in", () => {
    const other = readConfig({ WXT_ALLO_DIALER_URL: 'https://dialer.example.test:8443/embed?variant=dialer' });
    expect(hostPermissions(other)).toContain('https://dialer.example.test/*');
    expect(hostPermissions(other)).not.toContain('https://web.withallo.com/*');
  });

  it("lets extension pages frame Allo's dialer and nothing else", () => {
    expect(extensionPagesCsp(readConfig({}))).toBe("script-src 'self'; object-src 'self'; frame-src https://web.withallo.com;");
    const sandbox = readConfig({ WXT_ALLO_DIALER_URL: 'http://127.0.0.1:5183/?variant=dialer' });
    expect(sandbox.alloDialerUrl).toBe('http://127.0.0.1:5183/?variant=dialer');
    expect(extensionPagesCsp(sandbox)).toBe("script-src 'self'; object-src 'self'; frame-src http://127.0.0.1:5183;");
  });

  it("takes the app's hosts from one build variable", () => {
    const config = readConfig({ WXT_SELLSY_APP_HOSTS: ' app.example.test , www.sellsy.com' });
    expect(config.sellsyAppHosts).toEqual(['app.example.test', 'www.sellsy.com']);
    expect(contentMatches(config)).toEqual(['https://app.example.test/*', 'https://www.sellsy.com/*']);
  });
});
