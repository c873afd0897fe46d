/**
 * The README lists every permission and host the production manifest asks for, with its reason
 * (found missing by a hostile review after the Sellsy app hosts added at run time came in).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import config from '@/wxt.config';

it('the README’s permission table names every permission and host the production manifest asks for', async () => {
  const manifest = config.manifest;
  const env = { browser: 'chrome', manifestVersion: 3, mode: 'production', command: 'build' } as const;
  const generated = await (typeof manifest === 'function' ? manifest(env) : manifest);
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const start = readme.indexOf('### What the extension asks Chrome for, and why');
  expect(start).toBeGreaterThanOrEqual(0);
  const table = readme
    .slice(start)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .join('\n');
  const asked = [...(generated?.permissions ?? []), ...(generated?.host_permissions ?? []), ...(generated?.optional_host_permissions ?? [])];
  const missing = asked.filter((permission) => !table.includes(`\`${permission}\``));
  expect(missing).toEqual([]);
});
