import { describe, expect, it } from 'vitest';
import config from '@/wxt.config';

describe('manifest', () => {
  it('asks for the Chrome whose storage.local can be closed to content scripts', async () => {
    const manifest = config.manifest;
    const env = { browser: 'chrome', manifestVersion: 3, mode: 'production', command: 'build' } as const;
    const generated = await (typeof manifest === 'function' ? manifest(env) : manifest);
    expect(generated?.minimum_chrome_version).toBe('140');
  });
});
