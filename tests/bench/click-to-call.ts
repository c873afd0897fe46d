/**
 * `npm run bench`: click-to-call figures in real headless Chromium on a generated Sellsy-like
 * list (tests/pages/big-list.html), then on the worst text a Sellsy record can be made to hold.
 * Prints figures; asserts nothing.
 *   rows: first argument, default 5000.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM, launchExtension, openLinkedPage, PRODUCTION_BUILD, SANDBOX_BUILD } from '../e2e/extension';
import { startPagesServer } from '../servers/pages-server';
import { type ProfileBreakdown, profileParts } from './profile';
import { traceTasks } from './trace';

const rows = Number(process.argv[2] ?? 5000);
const pages = await startPagesServer();
const url = `${pages.url}/big-list.html?rows=${rows}`;

// Counts, from the page's own world, when links appear.
const WATCH = `(() => {
  window.__bench = { firstLink: 0, lastLink: 0, links: 0 };
  new MutationObserver((records) => {
    let added = 0;
    for (const r of records) {
      if (r.type === 'attributes' && r.oldValue === null) added++;
      for (const n of r.addedNodes) if (n.nodeType === 1 && n.hasAttribute('data-allo-number')) added++;
    }
    if (added === 0) return;
    const now = performance.now();
    if (!window.__bench.firstLink) window.__bench.firstLink = now;
    window.__bench.lastLink = now;
    window.__bench.links += added;
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-allo-number'], attributeOldValue: true });
})()`;

interface BenchState {
  firstLink: number;
  lastLink: number;
  links: number;
}

async function measureExtension() {
  const extension = await launchExtension();
  const page = await extension.context.newPage();
  await page.goto('about:blank');
  await page.addInitScript(WATCH);
  const cdp = await extension.context.newCDPSession(page);
  let expected = 0;
  const tasks = await traceTasks(cdp, 'content-scripts/sellsy.js', async () => {
    await page.goto(url);
    expected = (await (await page.waitForFunction('window.expectedCount')).jsonValue()) as number;
    // Polled every 100 ms, not every frame: a check in each frame would add to the span measured.
    await page.waitForFunction(`window.__bench.links >= ${expected}`, undefined, { timeout: 120_000, polling: 100 });
    await page.waitForTimeout(500);
  });
  const state = (await page.evaluate('window.__bench')) as BenchState;
  const loadedAt = (await page.evaluate(`performance.getEntriesByType('navigation')[0].loadEventEnd`)) as number;
  await extension.close();
  return {
    expected,
    linked: state.links,
    firstLinkAfterLoadMs: state.firstLink - loadedAt,
    lastLinkAfterLoadMs: state.lastLink - loadedAt,
    scanMs: state.lastLink - state.firstLink,
    ...tasks,
  };
}

/**
 * One text node of number-like text, as anyone who can write in a Sellsy record (a web-to-lead
 * form, a logged e-mail, a note) can make every user's page render it, followed by a number.
 */
async function measureHostileText(length: number) {
  const extension = await launchExtension();
  const page = await openLinkedPage(extension.context, `${pages.url}/note.html`);
  const cdp = await extension.context.newCDPSession(page);
  const text = `${'06 12 34 56 78 '.repeat(Math.ceil(length / 15)).slice(0, length - 1)}1`;
  const started = Date.now();
  let afterMs = 0;
  const tasks = await traceTasks(cdp, 'content-scripts/sellsy.js', async () => {
    await page.evaluate(`(() => {
      const hostile = document.createElement('p');
      hostile.id = 'hostile';
      hostile.textContent = ${JSON.stringify(text)};
      const after = document.createElement('p');
      after.id = 'after';
      after.textContent = 'Rappeler au 06 11 22 33 44';
      document.body.append(hostile, after);
    })()`);
    await page.waitForSelector('#after [data-allo-number]', { timeout: 120_000 });
    afterMs = Date.now() - started;
    await page.waitForTimeout(500);
  });
  const linkedInside = await page.locator('#hostile [data-allo-number]').count();
  await extension.close();
  return { length, linkedInside, afterMs, ...tasks };
}

async function bundleFor(file: string): Promise<string> {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, file)],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    // Names kept: the profile sorts its samples by function name.
    minify: false,
  });
  return bundle.outputFiles[0]!.text;
}

async function measureBaselines(withProfile: boolean) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction('window.expectedCount');
  await page.addScriptTag({ content: await bundleFor('baselines.ts') });
  const walker = (await page.evaluate('window.allocBench.treeWalker()')) as { ms: number; textNodes: number };
  const lib = (await page.evaluate('window.allocBench.libFindNumbers()')) as { ms: number; numbers: number };
  if (!withProfile) {
    await browser.close();
    return { walker, lib, profile: undefined };
  }
  // The same scan and link as the content script's, unminified, under the sampling profiler.
  const profiled = await browser.newPage();
  await profiled.goto(url);
  await profiled.waitForFunction('window.expectedCount');
  await profiled.addScriptTag({ content: await bundleFor('scan-profile.ts') });
  const cdp = await profiled.context().newCDPSession(profiled);
  let scan = { ms: 0, linked: 0 };
  const parts = await profileParts(cdp, async () => {
    scan = (await profiled.evaluate('window.scanProfile.run()')) as { ms: number; linked: number };
  });
  await browser.close();
  return { walker, lib, profile: { ...scan, parts } };
}

/** The content script's size in the production build (when built) and in the sandbox one. */
async function bundleSize() {
  const sizeOf = async (build: string) => {
    const file = join(build, 'content-scripts', 'sellsy.js');
    const bytes = await stat(file).then(
      (info) => info.size,
      () => undefined,
    );
    return bytes === undefined ? undefined : { bytes, gzipBytes: gzipSync(await readFile(file)).length };
  };
  return { production: await sizeOf(PRODUCTION_BUILD), sandbox: (await sizeOf(SANDBOX_BUILD))! };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (value: number, of: number) => `${(value / of).toFixed(2)}×`;

function printProfile(profile: { ms: number; linked: number; parts: ProfileBreakdown }) {
  console.log(`  where the time goes (the same code unminified in a plain tab, sampled every 0.1 ms: ${ms(profile.ms)}, ${profile.linked} linked)`);
  const sorted = Object.entries(profile.parts).sort(([, a], [, b]) => b - a);
  for (const [part, value] of sorted) if (value >= 0.05) console.log(`    ${part.padEnd(40)} ${ms(value).padStart(9)}`);
}
// The machine may be busy with other work: the list is measured in rounds, the extension and
// the two references one after the other in each, and the medians compared.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const extRounds: Array<Awaited<ReturnType<typeof measureExtension>>> = [];
const baseRounds: Array<Awaited<ReturnType<typeof measureBaselines>>> = [];
for (let round = 0; round < ROUNDS; round++) {
  extRounds.push(await measureExtension());
  baseRounds.push(await measureBaselines(round === 0));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const scanMs = median(extRounds.map((run) => run.scanMs));
const ext = extRounds.find((run) => run.scanMs === scanMs)!;
const libMs = median(baseRounds.map((run) => run.lib.ms));
const walkMs = median(baseRounds.map((run) => run.walker.ms));
const base = baseRounds[0]!;
const hostile = [await measureHostileText(65_536), await measureHostileText(16_000)];
const size = await bundleSize();
await pages.close();

const each = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
console.log(`Click-to-call on a ${rows}-row Sellsy-like list (${base.walker.textNodes} text nodes), headless Chromium, median of ${ROUNDS} rounds`);
console.log(
  `  content script: scan and link      ${ms(scanMs)} (${ext.linked}/${ext.expected} numbers linked; first link ${ms(ext.firstLinkAfterLoadMs)} after load, last ${ms(ext.lastLinkAfterLoadMs)}; rounds: ${each(extRounds.map((run) => run.scanMs))} ms)`,
);
console.log(`  bare TreeWalker pass               ${ms(walkMs)} (rounds: ${each(baseRounds.map((run) => run.walker.ms))} ms)`);
console.log(
  `  libphonenumber findNumbers, every text node  ${ms(libMs)} (${base.lib.numbers} numbers, nothing linked; rounds: ${each(baseRounds.map((run) => run.lib.ms))} ms)`,
);
console.log(`  scan and link ÷ findNumbers on every node  ${ratio(scanMs, libMs)} (goal ≤ 0.50×)`);
console.log(`  scan and link ÷ bare walk          ${ratio(scanMs, walkMs)}; findNumbers ÷ bare walk ${ratio(libMs, walkMs)}`);
const longest = Math.max(...extRounds.map((run) => run.longestOwnTaskMs));
console.log(
  `  longest task running the content script  ${ms(longest)} in any round (${extRounds.reduce((n, run) => n + run.ownTasksOver50, 0)} over 50 ms in all); its tasks took ${ms(ext.ownTasksMs)} in all, its start included`,
);
console.log(`  longest task of any kind                  ${ms(ext.longestAnyTaskMs)} (the page's own first layout and paint of ${rows} rows)`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(
  `  content-script bundle              ${size.production ? `production ${kib(size.production.bytes)} (${kib(size.production.gzipBytes)} gzip; budget 150 KiB)` : 'production not built (npx wxt build)'}; sandbox ${kib(size.sandbox.bytes)}`,
);
printProfile(base.profile!);
for (const text of hostile) {
  console.log(`Worst text node: ${(text.length / 1024).toFixed(1)} KiB of "06 12 34 56 78 " ending in "1" (${text.linkedInside} linked in it), then a number`);
  console.log(
    `  longest task running the content script  ${ms(text.longestOwnTaskMs)} (${text.ownTasksOver50} over 50 ms); the number after it linked ${text.afterMs} ms after the text was added`,
  );
}
