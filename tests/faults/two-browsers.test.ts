/**
 * Two browsers of the same user logging the same 1,000 calls at once, through the same faults and
 * killed workers as the one-browser run (fault-run.ts): they must converge on one Phone Call per
 * (call, matched record) pair.
 */
import { it } from 'vitest';
import { createBrowser } from '../support/call-harness';
import { clock, drive, generateCalls, misbehave, prng, report, servers, useFaultServers } from './fault-run';

useFaultServers();

it('two browsers of the same user logging the same calls at once converge on one Phone Call each', async () => {
  const random = prng(7);
  const browsers = [createBrowser(servers, clock), createBrowser(servers, clock)];
  await Promise.all(browsers.map((b) => b.sync.run()));
  generateCalls(random);
  misbehave(random);
  await report(await drive(browsers, random, { kills: true }), 'two browsers');
});
