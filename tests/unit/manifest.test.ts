import { describe, expect, it } from 'vitest';
import config from '@/wxt.config';

describe('manifest', () => {
  it('asks for the Chrome whose storage.local can be closed to content scripts', async () => {
    const manifest = config.manifest;
    const env = { browser: 'chrome', manifestVersion: 3, mode: 'production', command: 'build' } as const;
    const generated = await (typeof manifest === 'function' ? manifest(env) : manifest);
    expect(generated?.minimum_chrome_version).toBe('140');
  });

  it('may open the side panel, whose page may frame Allo’s dialer only', async () => {
    const manifest = config.manifest;
    const env = { browser: 'chrome', manifestVersion: 3, mode: 'production', command: 'build' } as const;
    const generated = await (typeof manifest === 'function' ? manifest(env) : manifest);
    expect(generated?.permissions).toContain('sidePanel');
    expect(generated?.content_security_policy).toEqual({ extension_pages: expect.stringMatching(/frame-src https:\/\/web\.withallo\.com;$/) });
  });

  it('may ask, in a click, for any https host a team adds as Sellsy’s app, and holds none of them at install', async () => {
    const manifest = config.manifest;
    const env = { browser: 'chrome', manifestVersion: 3, mode: 'production', command: 'build' } as const;
    const generated = await (typeof manifest === 'function' ? manifest(env) : manifest);
    expect(generated?.permissions).toEqual(expect.arrayContaining(['scripting', 'activeTab']));
    expect(generated?.optional_host_permissions).toEqual(['https://*/*']);
    expect(generated?.host_permissions).not.toContain('https://*/*');
  });

  it('may show a notification, for a missed call', async () => {
    const manifest = config.manifest;
    const env = { browser: 'chrome', manifestVersion: 3, mode: 'production', command: 'build' } as const;
    const generated = await (typeof manifest === 'function' ? manifest(env) : manifest);
    expect(generated?.permissions).toContain('notifications');
  });
});
