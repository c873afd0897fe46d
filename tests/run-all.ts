/**
 * `npm test`: every layer of docs/testing.md, each phase once. A phase starts as soon as the
 * phases it needs have passed, so phases run side by side: the end-to-end tests mostly wait on
 * Chromium and on the extension's own timers, and the CPU-bound tests fill the cores meanwhile:
 * the unit tests, and the fault and model tests at the lowest priority, so that Chromium, the
 * builds and the unit tests' time budgets never wait for them.
 * The first phase that fails stops the run (the others still running are stopped) and its exit
 * code is the run's. Each line a phase prints is prefixed with its name, and the end of the run,
 * passed or not, prints each phase's duration and the total.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

interface Phase {
  name: string;
  /** The program (a binary of node_modules/.bin, or node) and its arguments. */
  command: [string, ...string[]];
  /** Phases that must have passed before this one starts. */
  needs: string[];
  /** CPU-bound and not waited for by another phase: runs at the lowest priority. */
  background?: true;
  /** Added to the environment the phase runs in. */
  env?: Record<string, string>;
}

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = (name: string) => resolve(root, 'node_modules/.bin', process.platform === 'win32' ? `${name}.cmd` : name);

const vitest = (config: string, ...args: string[]): Phase['command'] => [bin('vitest'), 'run', '--config', `tests/${config}/vitest.config.ts`, ...args];

/**
 * End-to-end files run in a second group beside the first: most of an end-to-end file's time is
 * spent waiting on the extension's timers (a poll, a sync, the dialer's events), so two browsers
 * at once take about half the time. The second group has its own sandbox build and servers on
 * other ports (tests/servers/sandbox-ports.ts), so the groups never see each other's calls. The
 * production build's files reach no server and go with it. Every file not named here, new ones
 * included, runs in the first group. The split keeps the two groups' times close (docs/testing.md).
 */
const E2E_SECOND = [
  'tests/e2e/call-logging.test.ts',
  'tests/e2e/panel-note.test.ts',
  'tests/e2e/ui.test.ts',
  'tests/e2e/guide.test.ts',
  'tests/e2e/app-hosts.test.ts',
  'tests/e2e/api-access.test.ts',
  'tests/e2e/connect.test.ts',
  'tests/e2e/click-to-call.test.ts',
  'tests/e2e/production-build.test.ts',
  'tests/e2e/setup-screens.test.ts',
];
/** Writes a Chrome policy that every Chromium on the machine reads: run with no other browser. */
const E2E_POLICY = 'tests/e2e/managed-policy.test.ts';

const PHASES: Phase[] = [
  // Nothing waits for these two: they leave the CPU to the builds, which the browsers wait for.
  { name: 'typecheck', command: [bin('tsc'), '--noEmit'], needs: [], background: true },
  { name: 'lint', command: [bin('biome'), 'check', '.'], needs: [], background: true },
  // The builds write to their own folders (.output/chrome-mv3-sandbox, -sandbox2, chrome-mv3).
  { name: 'build:sandbox', command: [bin('wxt'), 'build', '--mode', 'sandbox'], needs: [] },
  { name: 'build', command: [bin('wxt'), 'build'], needs: [] },
  { name: 'build:sandbox2', command: [bin('wxt'), 'build', '--mode', 'sandbox2'], needs: [] },
  // At the usual priority (some unit tests hold code to a time budget), once the builds are done.
  { name: 'unit', command: vitest('unit'), needs: ['build:sandbox', 'build'] },
  { name: 'faults', command: vitest('faults'), needs: [], background: true },
  { name: 'model', command: [process.execPath, 'tests/model/soak.mjs'], needs: [], background: true },
  // In each group one browser at a time (fileParallelism: false).
  { name: 'e2e', command: vitest('e2e', ...[...E2E_SECOND, E2E_POLICY].flatMap((file) => ['--exclude', file])), needs: ['build:sandbox'] },
  { name: 'e2e:second', command: vitest('e2e', ...E2E_SECOND), needs: ['build:sandbox2', 'build'], env: { E2E_SANDBOX: 'second' } },
  { name: 'e2e:policy', command: vitest('e2e', E2E_POLICY), needs: ['e2e', 'e2e:second'] },
];

// `npm test -- unit faults` runs only those phases (what they need outside the list is taken as
// done: `npm test -- e2e` uses the builds already in .output).
const only = process.argv.slice(2);
const unknown = only.filter((name) => !PHASES.some((p) => p.name === name));
if (unknown.length > 0) {
  console.error(`No such phase: ${unknown.join(', ')} (phases: ${PHASES.map((p) => p.name).join(', ')})`);
  process.exit(2);
}
/** What a phase needs among the selected ones, through the phases left out. */
function neededAmong(phase: Phase, chosen: string[]): string[] {
  return phase.needs.flatMap((need) => (chosen.includes(need) ? [need] : neededAmong(PHASES.find((p) => p.name === need)!, chosen)));
}
const selected = only.length === 0 ? PHASES : PHASES.filter((p) => only.includes(p.name)).map((p) => ({ ...p, needs: neededAmong(p, only) }));

type Outcome = { state: 'passed' | 'failed' | 'stopped'; code: number; ms: number };

const width = Math.max(...selected.map((p) => p.name.length));
const started = performance.now();
const running = new Map<string, { child: ChildProcess; since: number }>();
const outcomes = new Map<string, Outcome>();
let failure: { name: string; code: number } | undefined;

function say(name: string, line: string): void {
  process.stdout.write(`${name.padEnd(width)} │ ${line}\n`);
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${(s % 60).toFixed(0).padStart(2, '0')} s`;
}

function start(phase: Phase): void {
  say(phase.name, `$ ${[phase.command[0].replace(`${root}/`, ''), ...phase.command.slice(1)].join(' ')}`);
  // Its own process group, so that stopping it stops what it started (vitest workers, Chromium).
  const child = spawn(phase.command[0], phase.command.slice(1), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    env: { ...process.env, ...phase.env },
  });
  running.set(phase.name, { child, since: performance.now() });
  // Set before the phase starts its workers, which inherit it.
  if (phase.background && child.pid !== undefined) {
    try {
      setPriority(child.pid, 19);
    } catch {
      // not allowed here: it runs at the usual priority
    }
  }
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      // A spinner's frames (the builds' "⠋ [1/3] background" redrawn in place) say nothing here.
      if (line.includes('\x1b[K')) return;
      const text = line.replaceAll('\x1b[?25l', '').replaceAll('\x1b[?25h', '');
      if (text !== '' || line === '') say(phase.name, text);
    });
  }
  child.on('error', (error) => say(phase.name, `could not start: ${error.message}`));
  child.on('close', (code, signal) => {
    const { since } = running.get(phase.name)!;
    running.delete(phase.name);
    const ms = performance.now() - since;
    // A phase stopped after another failed keeps its "stopped".
    if (!outcomes.has(phase.name)) {
      const exit = code ?? (signal ? 128 + 15 : 1);
      outcomes.set(phase.name, { state: exit === 0 ? 'passed' : 'failed', code: exit, ms });
      say(phase.name, exit === 0 ? `passed in ${seconds(ms)}` : `FAILED (exit ${exit}) after ${seconds(ms)}`);
      if (exit !== 0 && !failure) {
        failure = { name: phase.name, code: exit };
        stopAll();
      }
    }
    next();
  });
}

function stopAll(): void {
  for (const [name, { child, since }] of running) {
    outcomes.set(name, { state: 'stopped', code: 0, ms: performance.now() - since });
    try {
      if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

function next(): void {
  if (!failure) {
    for (const phase of selected) {
      if (outcomes.has(phase.name) || running.has(phase.name)) continue;
      if (phase.needs.every((need) => outcomes.get(need)?.state === 'passed')) start(phase);
    }
  }
  if (running.size === 0) finish();
}

function finish(): void {
  const total = performance.now() - started;
  console.log('');
  console.log(`${'phase'.padEnd(width)}   ${'time'.padStart(10)}`);
  for (const phase of selected) {
    const outcome = outcomes.get(phase.name);
    const time = outcome ? seconds(outcome.ms).padStart(10) : ''.padStart(10);
    const note = !outcome ? 'not run' : outcome.state === 'passed' ? '' : outcome.state === 'failed' ? `FAILED (exit ${outcome.code})` : 'stopped';
    console.log(`${phase.name.padEnd(width)}   ${time}  ${note}`.trimEnd());
  }
  console.log(`${'total'.padEnd(width)}   ${seconds(total).padStart(10)}${failure ? `  FAILED in ${failure.name}` : ''}`);
  process.exit(failure?.code ?? 0);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!failure) failure = { name: `interrupted (${signal})`, code: 130 };
    stopAll();
  });
}

next();
