/**
 * 1,000 calls through servers that misbehave (429s, 500s, slow answers, Phone Calls stored and
 * then their connection dropped), tokens that expire and are revoked, and the pipeline killed and
 * restarted at random points (fault-run.ts). Every call must end synced or in the right named
 * error, and every (call, matched record) pair must be related by exactly one Phone Call.
 */
import { it } from 'vitest';
import { createBrowser } from '../support/call-harness';
import { clock, drive, generateCalls, misbehave, prng, report, servers, useFaultServers } from './fault-run';

useFaultServers();

it('1,000 calls through 429s, 500s, slow answers, commit-then-drop, expiry, revocation and killed workers', async () => {
  const random = prng(42);
  const browser = createBrowser(servers, clock);
  await browser.sync.run();
  generateCalls(random);
  misbehave(random);
  await report(await drive([browser], random, { kills: true }), 'one browser');
});
