// @vitest-environment node
/**
 * The content script runs beside Sellsy's own code, so nothing it bundles may read where the
 * secrets are: the administrator's policy (`storage.managed`, which holds the Allo key and the
 * Sellsy client secret) or the background's `local:` items. It gets the policy's call target and
 * default country from the background instead. This follows the content script's imports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = 'entrypoints/sellsy.content.ts';

// `import … from '…'` and `export … from '…'`, except `import type`/`export type`, which the
// bundler drops.
const IMPORT = /^(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gms;
const SECRET_READS = [/storage\.managed\b/, /['"`]local:/, /readManagedSettings/];

/** The code without its comments, which may well name what the code must not do. */
function code(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
}

function resolveImport(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith('@/')) base = join(ROOT, specifier.slice(2));
  else if (specifier.startsWith('.')) base = resolve(dirname(join(ROOT, from)), specifier);
  else return undefined; // a package or WXT's virtual modules
  const file = ['.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find(existsSync);
  return file ? relative(ROOT, file) : undefined;
}

function bundledBy(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file; file = queue.pop()) {
    for (const [, specifier] of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const target = specifier && resolveImport(file, specifier);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen].sort();
}

const files = bundledBy(ENTRY);

describe('what the content script bundles', () => {
  it('follows its imports, and only those that reach the bundle', () => {
    expect(files).toContain('lib/dom/init-click-to-call.ts');
    expect(files).toContain('lib/messaging.ts');
    // messaging.ts imports only types from the background's modules.
    expect(files).not.toContain('lib/cache/describe-number.ts');
  });

  it('recognises a read of the secrets', () => {
    for (const sample of ['browser.storage.managed.get(null)', "defineItem('local:alloApiKey')", 'await readManagedSettings()']) {
      expect(SECRET_READS.some((pattern) => pattern.test(sample))).toBe(true);
    }
    expect(code('lib/policy/page-policy.ts')).not.toContain('closes `storage.managed`');
  });

  it('never reads the policy or the local area, where the secrets are', () => {
    const readers = files.filter((file) => SECRET_READS.some((pattern) => pattern.test(code(file))));
    expect(readers).toEqual([]);
  });
});
