// @vitest-environment node
/**
 * One typed Sellsy layer: every Sellsy request and every schema of Sellsy's JSON lives in
 * `lib/sellsy/`. The call log and the contact sync speak domain terms only, so a Sellsy path
 * or a valibot schema showing up there means a request escaped that layer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOMAIN_DIRS = ['lib/calls', 'lib/sync'];

// A string or template that starts a Sellsy path: '/contacts…', `/phone-calls/${id}`, `${base}/staffs`.
const SELLSY_PATH = /['"`}]\/(contacts|companies|individuals|phone-calls|staffs)\b/;
const VALIBOT = /from\s+['"]valibot['"]|import\(\s*['"]valibot['"]\s*\)|require\(\s*['"]valibot['"]\s*\)/;

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

const files = DOMAIN_DIRS.flatMap(sourcesUnder);

describe('the Sellsy boundary', () => {
  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('recognises what it forbids', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: samples of source code, `${…}` included
    for (const sample of ["'/contacts/search'", '`/phone-calls/${id}`', '`${path}/companies`', '"/staffs/me"']) expect(sample).toMatch(SELLSY_PATH);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a sample of source code
    expect('`${sellsyAppUrl}/${SELLSY_KINDS[kind].appPath}`').not.toMatch(SELLSY_PATH);
    expect("import * as v from 'valibot';").toMatch(VALIBOT);
  });

  it('leaves no Sellsy path in lib/calls or lib/sync', () => {
    expect(files.filter((file) => SELLSY_PATH.test(readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  it('leaves no valibot schema in lib/calls or lib/sync', () => {
    expect(files.filter((file) => VALIBOT.test(readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });
});
