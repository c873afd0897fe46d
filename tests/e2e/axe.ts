import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Where e2e runs write their screenshots (ignored by git; the README's copies are in tests/e2e/screenshots). */
export const SHOTS = join(process.cwd(), 'tests', 'artifacts', 'screenshots');

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it is now; evaluated over CDP, which the page's CSP does not govern. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${await axeSource}; undefined`);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as {
    violations: Array<{ id: string; nodes: Array<{ target: string[] }> }>;
  };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * A screenshot of the page (with `fit`, at its content's height up to `maxHeight`), then axe on
 * it: every state shown in the README is also checked for accessibility.
 */
export async function shootChecked(page: Page, name: string, fit?: { width: number; maxHeight: number }): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  if (fit)
    await page.setViewportSize({ width: fit.width, height: Math.min(fit.maxHeight, (await page.evaluate('document.body.scrollHeight + 16')) as number) });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  expect(await accessibilityViolations(page)).toEqual([]);
}

/** A screenshot of one part of a page (a fold deep in a long page), then axe on the whole page. */
export async function shootCheckedPart(part: Locator, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await part.screenshot({ path: join(SHOTS, `${name}.png`) });
  expect(await accessibilityViolations(part.page())).toEqual([]);
}
