// @vitest-environment node
/**
 * What one poll costs on the team's key: Allo counts every POST (search pages, batches)
 * against the key's write limit, so the poller sends none it can do without.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlloClient } from '@/lib/allo/api-client';
import { toCallRecord } from '@/lib/calls/call-poller';
import type { NewCallItem } from '../servers/allo-calls';
import { createBrowser, startServers, type Browser, type Clock, type Servers } from '../support/call-harness';

const USER = 'usr-camille4242';
let servers: Servers;
let clock: Clock;
let browser: Browser;

beforeEach(async () => {
  servers = await startServers();
  clock = { now: Date.now() };
  browser = createBrowser(servers, clock);
});

afterEach(() => servers.close());

const writes = () =>
  servers.allo.requests.filter((request) => request.method === 'POST').map((request) => request.path.replace('/v2/api/conversations/items/', ''));

/** A call the browser already knows (a past poll wrote it), as it stands in the store. */
async function known(fields: NewCallItem, state: 'pending' | 'synced' = 'synced') {
  const item = servers.allo.calls.add({ contact_number: '+33612345678', ...fields });
  const call = toCallRecord(item as never, USER, clock.now)!;
  await browser.calls.addIfNew({ ...call, state });
  return item;
}

describe('a poll’s writes', () => {
  it('are one search page when nothing awaits a summary', async () => {
    await known({ result: 'ANSWERED', duration: 60, summary: 'Devis.', date: new Date(clock.now - 30 * 60_000) });
    await known({ result: null, duration: 0, summary: null, date: new Date(clock.now - 20 * 60_000) });
    servers.allo.requests.length = 0;
    await browser.poller.poll(USER, clock.now - 2 * 60 * 60_000);
    expect(writes()).toEqual(['search']);
  });

  it('take a summary from the search that lists its call, without a batch', async () => {
    const item = await known({ result: 'ANSWERED', duration: 60, summary: null, date: new Date(clock.now - 10 * 60_000) }, 'pending');
    servers.allo.calls.setSummary(item.id, 'Rappeler vendredi.');
    servers.allo.requests.length = 0;
    await browser.poller.poll(USER, clock.now - 2 * 60 * 60_000);
    expect(writes()).toEqual(['search']);
    expect(await browser.calls.get(item.id)).toMatchObject({ summary: 'Rappeler vendredi.' });
  });

  it('batch only the calls the search did not reach', async () => {
    // Logged yesterday, still without its summary: older than the poll's lookback.
    const old = await known({ result: 'ANSWERED', duration: 60, summary: null, date: new Date(clock.now - 20 * 60 * 60_000) });
    await browser.poller.poll(USER, clock.now - 60 * 60_000);
    servers.allo.calls.setSummary(old.id, 'Envoyer le devis.');
    servers.allo.requests.length = 0;
    await browser.poller.poll(USER, clock.now - 60 * 60_000);
    expect(writes()).toEqual(['search', 'batch']);
    expect(servers.allo.requests.at(-1)?.body).toEqual({ ids: [old.id] });
    expect(await browser.calls.get(old.id)).toMatchObject({ summary: 'Envoyer le devis.' });
  });
});

describe('the Allo client’s tally for the budget', () => {
  it('counts the POSTs and says busy when under half the limit is left, or on a 429', async () => {
    servers.allo.rateLimits = { readPerSecond: 20, writePerSecond: 2 };
    const allo = new AlloClient({ apiUrl: servers.allo.apiUrl, apiKey: async () => 'allo-sandbox-key', sleep: async () => undefined });
    expect((await allo.me()).rate_limits?.write_per_second).toBe(2);
    await allo.batch(['cll-unknown']);
    expect(allo.takeTally()).toMatchObject({ writes: 1, busy: false });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Three in a row: two of them fall in one second, which leaves none of the 2 (or a 429).
    for (let i = 0; i < 3; i++) await allo.batch(['cll-unknown']).catch(() => undefined);
    expect(allo.takeTally()).toMatchObject({ writes: 3, busy: true });
    expect(allo.takeTally()).toMatchObject({ writes: 0, busy: false });
  });
});
