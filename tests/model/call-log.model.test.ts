// @vitest-environment node
/**
 * The call log's promise over random team histories (tests/model/call-log-model.ts): a fixed seed
 * in `npm test`; `npm run test:model -- --runs N` soaks it with a fresh seed and prints one line.
 * A failing history is shrunk by fast-check and printed with its seed and path, to be replayed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlloServer, type AlloServer } from '../servers/allo';
import { addFigures, emptyFigures, formatFigures, type History, historyArb, isClean, runHistory } from './call-log-model';

const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : process.env.MODEL_RUNS ? Date.now() % 2 ** 31 : 20261205;

let allo: AlloServer;
beforeAll(async () => {
  allo = await startAlloServer({ rateLimits: undefined });
});
afterAll(() => allo.close());

describe('the call log over random team histories', () => {
  it(`keeps its promise on ${RUNS} histories (seed ${SEED})`, async () => {
    const total = emptyFigures();
    let shrinking = false;
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        const figures = await runHistory(allo, history);
        if (!shrinking) addFigures(total, figures);
        if (!isClean(figures)) {
          shrinking = true;
          throw new Error(formatFigures(figures));
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false },
    );
    console.log(formatFigures(total));
    expect(total.histories).toBe(RUNS);
  });

  it('can generate the review’s four adoption cases, the two browsers’ different orders and Retry during a pass, among others', () => {
    const samples = fc.sample(historyArb, { numRuns: 3000, seed: 7 });
    const has = (predicate: (h: History) => boolean) => samples.filter(predicate).length;
    type CallE = Extract<History['events'][number], { t: 'call' }>;
    const calls = (h: History) => h.events.filter((e): e is CallE => e.t === 'call');
    // 1 and 2: my missed call and my redial within a minute on the same number, and an integration log.
    const redial = (h: History) =>
      calls(h).some(
        (e, i, all) =>
          i > 0 &&
          e.who === 'me' &&
          all[i - 1]!.who === 'me' &&
          e.number === all[i - 1]!.number &&
          e.gapS <= 59 &&
          e.durationS === 0 &&
          all[i - 1]!.durationS === 0,
      ) && h.events.some((e) => e.t === 'integration');
    // 3: a colleague's call at the moment of mine, same number and length, and an integration log.
    const colleague = (h: History) =>
      calls(h).some(
        (e, i, all) => i > 0 && e.who !== all[i - 1]!.who && e.number === all[i - 1]!.number && e.gapS <= 1 && e.durationS === all[i - 1]!.durationS,
      ) && h.events.some((e) => e.t === 'integration');
    // 4: a call on the contact whose company matched too (N0), and an integration log.
    const folded = (h: History) => calls(h).some((e) => e.who === 'me' && e.number === 0) && h.events.some((e) => e.t === 'integration') && !h.second.lacksLink;
    // Browsers learning of a missed call and its redial in different orders: the missed call listed
    // late, a browser's pass before Allo lists it, then the other's after.
    const lateMissed = (h: History) => {
      const missed = h.events.findIndex((e) => e.t === 'call' && e.who === 'me' && e.listedLate && e.durationS === 0);
      if (missed < 0 || !h.events.some((e) => e.t === 'integration')) return false;
      const after = h.events.slice(missed + 1);
      const redialAt = after.findIndex((e) => e.t === 'call' && e.who === 'me' && !e.listedLate && e.gapS <= 59 && e.durationS === 0);
      const tickAt = after.findIndex((e) => e.t === 'tick');
      const passBefore = after.findIndex((e, i) => e.t === 'pass' && i > redialAt && (tickAt < 0 || i < tickAt));
      return redialAt >= 0 && passBefore >= 0;
    };
    // Retry pressed during a pass on a call that a fault left waiting.
    const retryDuringPass = (h: History) =>
      h.events.some((e, i) => e.t === 'retry' && e.duringOp !== undefined && h.events.slice(0, i).some((x) => x.t === 'fault'));
    expect({
      redial: has(redial) > 0,
      colleague: has(colleague) > 0,
      folded: has(folded) > 0,
      lateMissed: has(lateMissed) > 0,
      retryDuringPass: has(retryDuringPass) > 0,
    }).toEqual({ redial: true, colleague: true, folded: true, lateMissed: true, retryDuringPass: true });
  });
});
