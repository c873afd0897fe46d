// @vitest-environment node
import 'fake-indexeddb/auto';
/**
 * The side panel's "what happened before" (lib/dialer/call-history.ts): the user's calls from
 * the call store and the team's Phone Calls from Sellsy, one line per call; Sellsy asked once per
 * record shown and not again for a minute; an item Sellsy sends that cannot be read skipped and
 * counted; the local Sellsy answering the request as the contract says.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import type { CachedRecord } from '@/lib/cache/schema';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { callMarker, firstLine } from '@/lib/calls/description-block';
import { describeCall } from '@/lib/calls/phone-call-mapping';
import {
  type CallHistoryDeps,
  createCallHistory,
  HISTORY_RECORDS,
  type HistoryLabels,
  mergeHistory,
  TEAM_CALLS_FAILED_MS,
  TEAM_CALLS_FRESH_MS,
} from '@/lib/dialer/call-history';
import type { SellsyClient } from '@/lib/sellsy/api-client';
import { SellsyError } from '@/lib/sellsy/errors';
import { latestPhoneCalls, type LatestOrder, type RelatedRecord, type TeamPhoneCall } from '@/lib/sellsy/phone-calls';
import { DEFAULT_RECORD_PATHS, type RecordLinks } from '@/lib/sellsy/record-url';
import { startSellsyServer, type SellsyServer } from '../servers/sellsy';
import { callRecord, logTarget } from '../support/call-builders';
import { localSellsyClient } from '../support/local-sellsy-client';

const LINKS: RecordLinks = { appUrl: 'https://www.sellsy.com', paths: { ...DEFAULT_RECORD_PATHS } };
const LABELS: HistoryLabels = { summary: ['Summary:', 'Résumé :'], noSummary: ['The Allo summary is not available yet.'] };
const MARIE_NUMBER = '+33123456789';
const YOU = 4242;

const MARIE: CachedRecord = {
  key: 'contact:958',
  kind: 'contact',
  sellsyId: 958,
  name: 'Marie Dupont',
  companyName: 'Acme SAS',
  phones: [MARIE_NUMBER, '+33612345678'],
  rawPhones: [],
  updated: '2026-01-01T00:00:00Z',
};
const ACME: CachedRecord = {
  key: 'company:1220',
  kind: 'company',
  sellsyId: 1220,
  name: 'Acme SAS',
  companyType: 'prospect',
  phones: [MARIE_NUMBER],
  rawPhones: [],
  updated: '2026-01-01T00:00:00Z',
};

function ourCall(alloId: string, date: string, extra: Partial<CallRecord> = {}): CallRecord {
  return callRecord({ alloId, counterpart: MARIE_NUMBER, date, summary: '**Objet** : devis\n- 12 postes', targets: [logTarget(MARIE)], ...extra });
}

function teamCall(id: number, date: string, extra: Partial<TeamPhoneCall> = {}): TeamPhoneCall {
  return {
    id,
    date,
    source: 'incoming',
    duration: 252,
    result: 'connected',
    description: 'Demande de devis pour 12 postes.\nRappeler jeudi.',
    related: [{ type: 'contact', id: 958 }],
    ownerId: 77,
    ownerName: 'Julie Roux',
    ...extra,
  };
}

describe('mergeHistory: the user’s calls and the team’s, one line per call', () => {
  it('lists both newest first, five at most, each with who, direction, length, the summary’s first line and its record', () => {
    const merged = mergeHistory({
      ours: [
        ourCall('cll-2', '2026-12-04T10:00:00Z'),
        ourCall('cll-1', '2026-11-30T10:00:00Z', { direction: 'INBOUND', result: null, durationS: 0, summary: null }),
      ],
      team: [teamCall(5003, '2026-12-05T09:00:00Z'), teamCall(5002, '2026-12-01T09:00:00Z', { ownerName: undefined, source: 'outcoming', result: 'noanswer' })],
      records: [MARIE, ACME],
      staffId: YOU,
      links: LINKS,
      labels: LABELS,
    });
    expect(merged).toEqual([
      {
        key: 'sellsy:5003',
        date: '2026-12-05T09:00:00Z',
        direction: 'in',
        byYou: false,
        byName: 'Julie Roux',
        durationS: 252,
        summary: 'Demande de devis pour 12 postes.',
        record: { name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/958' },
      },
      {
        key: 'allo:cll-2',
        date: '2026-12-04T10:00:00Z',
        direction: 'out',
        byYou: true,
        durationS: 125,
        summary: 'Objet : devis',
        record: { name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/958' },
      },
      // A colleague Sellsy did not name (embed null without staffs.read) is still a colleague.
      {
        key: 'sellsy:5002',
        date: '2026-12-01T09:00:00Z',
        direction: 'out',
        byYou: false,
        durationS: 252,
        missed: true,
        summary: 'Demande de devis pour 12 postes.',
        record: { name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/958' },
      },
      {
        key: 'allo:cll-1',
        date: '2026-11-30T10:00:00Z',
        direction: 'in',
        byYou: true,
        durationS: 0,
        missed: true,
        record: { name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/958' },
      },
    ]);

    const many = mergeHistory({
      ours: [1, 2, 3, 4].map((day) => ourCall(`cll-${day}`, `2026-12-0${day}T10:00:00Z`)),
      team: [5, 6, 7].map((day) => teamCall(5000 + day, `2026-12-0${day}T10:00:00Z`)),
      records: [MARIE],
      staffId: YOU,
      links: LINKS,
      labels: LABELS,
    });
    expect(many.map((call) => call.key)).toEqual(['sellsy:5007', 'sellsy:5006', 'sellsy:5005', 'allo:cll-4', 'allo:cll-3']);
  });

  it('shows a Phone Call that logs one of the user’s calls as that call, not twice', () => {
    const posted = ourCall('cll-posted', '2026-12-04T10:00:00Z', { targets: [logTarget(MARIE, { sellsyPhoneCallId: 5001 })] });
    const otherBrowser = ourCall('cll-block', '2026-12-03T10:00:00Z');
    const byIntegration = ourCall('cll-integration', '2026-12-02T10:00:00Z');
    const merged = mergeHistory({
      ours: [posted, otherBrowser, byIntegration],
      team: [
        // Our own copy, by its id.
        teamCall(5001, '2026-12-04T10:00:00+01:00', { ownerId: YOU }),
        // A copy another browser of the user's wrote: found by the call's block.
        teamCall(5009, '2026-12-03T10:00:00Z', { ownerId: YOU, description: describeCall(otherBrowser) }),
        // Allo's integration logging the same call as the user, 20 s later, same direction.
        teamCall(5010, '2026-12-02T10:00:20Z', { ownerId: YOU, source: 'outcoming', description: 'Appel Allo sortant' }),
        // The user's own note of another call, the same day: kept.
        teamCall(5011, '2026-12-02T15:00:00Z', { ownerId: YOU, source: 'outcoming', description: 'Rappel de courtoisie' }),
      ],
      records: [MARIE],
      staffId: YOU,
      links: LINKS,
      labels: LABELS,
    });
    expect(merged.map((call) => [call.key, call.byYou])).toEqual([
      ['allo:cll-posted', true],
      ['allo:cll-block', true],
      ['sellsy:5011', true],
      ['allo:cll-integration', true],
    ]);
  });

  it('lists once a Phone Call that relates two records shown (a contact and its company), linking the first', () => {
    const both = teamCall(5004, '2026-12-04T10:00:00Z', {
      related: [
        { type: 'company', id: 1220 },
        { type: 'contact', id: 958 },
      ],
    });
    const merged = mergeHistory({ ours: [], team: [both, both], records: [ACME, MARIE], staffId: YOU, links: LINKS, labels: LABELS });
    expect(merged).toHaveLength(1);
    // A prospect company links to its own path.
    expect(merged[0]?.record).toEqual({ name: 'Acme SAS', url: 'https://www.sellsy.com/thirds/prospect/1220' });
  });

  it('links a call of the user’s on no record yet to the record the number has now', () => {
    const merged = mergeHistory({
      ours: [ourCall('cll-waiting', '2026-12-04T10:00:00Z', { targets: [], state: 'pending', waitingFor: 'contact' })],
      team: [],
      records: [MARIE],
      staffId: YOU,
      links: LINKS,
      labels: LABELS,
    });
    expect(merged[0]?.record).toEqual({ name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/958' });
  });
});

describe('firstLine: what a person reads first in a Phone Call', () => {
  it('passes over our block’s own lines and takes its label off the summary', () => {
    const block = describeCall(ourCall('cll-9', '2026-12-04T10:00:00Z', { summary: 'Rappeler **jeudi**.\nEnvoyer le devis.' }));
    expect(firstLine(block, LABELS)).toBe('Rappeler jeudi.');
    expect(firstLine(`Note à la main\n\n${block}`, LABELS)).toBe('Note à la main');
    expect(firstLine(describeCall(ourCall('cll-10', '2026-12-04T10:00:00Z', { summary: null })), LABELS)).toBeUndefined();
    expect(firstLine(`[Allo #00000000]\nRésumé : Devis signé.\n${callMarker('cll-11')}`, LABELS)).toBe('Devis signé.');
  });

  it('reads an editor’s HTML as text, and cuts a long line', () => {
    expect(firstLine('<p>Devis&nbsp;<b>signé</b> &amp; envoyé</p><br>Suite', LABELS)).toBe('Devis signé & envoyé');
    expect(firstLine('   \n\n', LABELS)).toBeUndefined();
    expect(firstLine(null, LABELS)).toBeUndefined();
    expect(firstLine('x'.repeat(500), LABELS)).toHaveLength(200);
  });
});

/** A history source over fakes: the call store's answer, the cache's records and a counted Sellsy. */
function source(
  {
    records = [MARIE],
    ours = [] as CallRecord[],
    // null: Sellsy is not connected.
    staffId = YOU as number | null,
    answer = (_record: RelatedRecord, _order: LatestOrder): Promise<{ calls: TeamPhoneCall[]; skipped: number }> =>
      Promise.resolve({ calls: [teamCall(5003, '2026-12-05T09:00:00Z')], skipped: 0 }),
  } = {},
  clock = { now: Date.parse('2026-12-05T12:00:00Z') },
) {
  const asked: Array<{ record: string; order: LatestOrder; limit: number }> = [];
  const deps: CallHistoryDeps = {
    calls: { recentWith: async () => ours },
    cache: { findByNumber: async () => records },
    links: async () => LINKS,
    staffId: async () => staffId ?? undefined,
    latestPhoneCalls: (record, limit, order) => {
      asked.push({ record: `${record.type}:${record.id}`, order, limit });
      return answer(record, order);
    },
    labels: LABELS,
    now: () => clock.now,
  };
  return { history: createCallHistory(deps), asked, clock };
}

describe('the history source: one Sellsy request per record shown, reused for a minute', () => {
  it('asks once per record, and not again while the answer is fresh', async () => {
    const { history, asked, clock } = source({ records: [MARIE, ACME] });
    const first = await history.forNumber(MARIE_NUMBER);
    expect(first).toMatchObject({ team: 'ok', skipped: 0, calls: [{ key: 'sellsy:5003' }] });
    expect(asked).toEqual([
      { record: 'company:1220', order: 'date', limit: 5 },
      { record: 'contact:958', order: 'date', limit: 5 },
    ]);
    // The panel rendering again, or reopened on the same number.
    await history.forNumber(MARIE_NUMBER);
    clock.now += TEAM_CALLS_FRESH_MS - 1;
    await history.forNumber(MARIE_NUMBER);
    expect(asked).toHaveLength(2);
    clock.now += 1;
    await history.forNumber(MARIE_NUMBER);
    expect(asked).toHaveLength(4);
  });

  it('shares one request between two panels asking at once', async () => {
    let release: () => void = () => undefined;
    const { history, asked } = source({
      answer: () => new Promise((resolve) => (release = () => resolve({ calls: [], skipped: 0 }))),
    });
    const both = Promise.all([history.forNumber(MARIE_NUMBER), history.forNumber(MARIE_NUMBER)]);
    await expect.poll(() => asked.length).toBe(1);
    release();
    await both;
    expect(asked).toHaveLength(1);
  });

  it('asks about the first records the panel lists only', async () => {
    const many = Array.from(
      { length: 12 },
      (_, i): CachedRecord => ({ ...MARIE, key: `contact:${100 + i}`, sellsyId: 100 + i, name: `Standard ${String(i).padStart(2, '0')}` }),
    );
    const { history, asked } = source({ records: many });
    await history.forNumber(MARIE_NUMBER);
    expect(asked.map((a) => a.record)).toEqual(many.slice(0, HISTORY_RECORDS).map((record) => record.key));
  });

  it('asks nothing for a number no record has, nor while Sellsy is not connected, and still lists the user’s calls', async () => {
    const mine = [ourCall('cll-1', '2026-12-04T10:00:00Z', { targets: [] })];
    const unknown = source({ records: [], ours: mine });
    expect(await unknown.history.forNumber('+33698765400')).toMatchObject({ team: 'none', calls: [{ key: 'allo:cll-1' }] });
    const disconnected = source({ staffId: null, ours: mine });
    expect(await disconnected.history.forNumber(MARIE_NUMBER)).toMatchObject({ team: 'unavailable', calls: [{ key: 'allo:cll-1' }] });
    expect([...unknown.asked, ...disconnected.asked]).toEqual([]);
  });

  it('lists the user’s calls when Sellsy fails, and does not ask again at once', async () => {
    const { history, asked, clock } = source({
      ours: [ourCall('cll-1', '2026-12-04T10:00:00Z')],
      answer: () => Promise.reject(new SellsyError('network', 'Sellsy could not be reached.')),
    });
    expect(await history.forNumber(MARIE_NUMBER)).toMatchObject({ team: 'unavailable', calls: [{ key: 'allo:cll-1' }] });
    await history.forNumber(MARIE_NUMBER);
    expect(asked).toHaveLength(1);
    clock.now += TEAM_CALLS_FAILED_MS;
    await history.forNumber(MARIE_NUMBER);
    expect(asked).toHaveLength(2);
  });

  it('adds up what Sellsy sent that could not be read', async () => {
    const { history } = source({ records: [MARIE, ACME], answer: async () => ({ calls: [], skipped: 2 }) });
    expect(await history.forNumber(MARIE_NUMBER)).toMatchObject({ skipped: 4, team: 'ok' });
  });

  it('asks by creation order from then on when Sellsy refuses to sort by date', async () => {
    const { history, asked, clock } = source({
      answer: async (_record, order) => {
        if (order === 'date') throw new SellsyError('request', 'The value should be one of id.', 400);
        return { calls: [teamCall(5003, '2026-12-05T09:00:00Z')], skipped: 0 };
      },
    });
    expect(await history.forNumber(MARIE_NUMBER)).toMatchObject({ team: 'ok', calls: [{ key: 'sellsy:5003' }] });
    clock.now += TEAM_CALLS_FRESH_MS;
    await history.forNumber(MARIE_NUMBER);
    expect(asked.map((a) => a.order)).toEqual(['date', 'id', 'id']);
  });

  it('forgets Sellsy’s answers on a disconnection, and keeps each account’s apart', async () => {
    let staff: number | undefined = YOU;
    const asked: string[] = [];
    const history = createCallHistory({
      calls: { recentWith: async () => [] },
      cache: { findByNumber: async () => [MARIE] },
      links: async () => LINKS,
      staffId: async () => staff,
      latestPhoneCalls: async (record) => {
        asked.push(`${staff}/${record.id}`);
        return { calls: [], skipped: 0 };
      },
      labels: LABELS,
    });
    await history.forNumber(MARIE_NUMBER);
    staff = 5151;
    await history.forNumber(MARIE_NUMBER);
    history.forget();
    await history.forNumber(MARIE_NUMBER);
    expect(asked).toEqual(['4242/958', '5151/958', '5151/958']);
  });
});

describe('CallStore.recentWith: the user’s calls with the number or its records', () => {
  let calls: CallStore;
  beforeEach(async () => {
    calls = new CallStore(openCacheDb(`history-${Math.random()}`));
  });

  it('finds them newest first, by the number or by a record’s other number, and stops at the limit', async () => {
    await calls.put(ourCall('cll-landline', '2026-12-01T10:00:00Z'));
    await calls.put(ourCall('cll-mobile', '2026-12-03T10:00:00Z', { counterpart: '+33612345678' }));
    await calls.put(ourCall('cll-other', '2026-12-04T10:00:00Z', { counterpart: '+33698765400', targets: [] }));
    await calls.put(ourCall('cll-waiting', '2026-12-02T10:00:00Z', { targets: [] }));
    expect((await calls.recentWith(MARIE_NUMBER, new Set([MARIE.key]), 5)).map((call) => call.alloId)).toEqual(['cll-mobile', 'cll-waiting', 'cll-landline']);
    expect((await calls.recentWith(MARIE_NUMBER, new Set([MARIE.key]), 2)).map((call) => call.alloId)).toEqual(['cll-mobile', 'cll-waiting']);
    expect((await calls.recentWith(MARIE_NUMBER, new Set(), 5)).map((call) => call.alloId)).toEqual(['cll-waiting', 'cll-landline']);
  });
});

describe('latestPhoneCalls against the local Sellsy: the request the contract describes', () => {
  let server: SellsyServer;
  let client: SellsyClient;
  let marie: number;
  let other: number;

  beforeAll(async () => {
    server = await startSellsyServer({ accessTokenTtlS: 10 * 365 * 86_400 });
    client = localSellsyClient(server);
    marie = server.crm.addContact({ first_name: 'Marie', last_name: 'Dupont', phone_number: '01 23 45 67 89' }).id;
    other = server.crm.addContact({ last_name: 'Autre' }).id;
    server.phoneCalls.addColleague({ id: 77, firstname: 'Julie', lastname: 'Roux', email: 'julie@example.fr', status: 'ok' });
    server.phoneCalls.otherStaff.add(78);
    const log = (owner: number, date: string, contact = marie) =>
      server.phoneCalls.create({
        owner_id: owner,
        date,
        result: 'connected',
        source: 'incoming',
        duration: 60,
        description: `Appel du ${date}`,
        related: [{ type: 'contact', id: contact }],
      });
    // Created out of date order: the latest by date is not the latest created.
    log(77, '2026-12-03T10:00:00Z');
    log(server.staff.id, '2026-12-05T10:00:00Z');
    log(78, '2026-11-01T10:00:00Z');
    log(77, '2026-12-04T10:00:00Z');
    log(77, '2026-12-01T10:00:00Z');
    log(77, '2026-12-02T10:00:00Z');
    log(77, '2026-12-06T10:00:00Z', other);
  });
  afterAll(() => server.close());

  it('asks one search of the record’s Phone Calls, latest date first, five, with their owner’s name', async () => {
    const before = server.requests.length;
    const { calls, skipped } = await latestPhoneCalls(client, { type: 'contact', id: marie }, 5);
    expect(server.requests.length - before).toBe(1);
    const request = server.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/v2/phone-calls/search', body: { filters: { contacts: [marie] } } });
    expect(Object.fromEntries(request.query)).toEqual({ limit: '5', order: 'date', direction: 'desc', 'embed[]': 'owner' });
    expect(skipped).toBe(0);
    expect(calls.map((call) => Date.parse(call.date))).toEqual(
      ['2026-12-05', '2026-12-04', '2026-12-03', '2026-12-02', '2026-12-01'].map((day) => Date.parse(`${day}T10:00:00Z`)),
    );
    expect(calls[0]).toMatchObject({ ownerId: server.staff.id, ownerName: 'Camille Martin', source: 'incoming', duration: 60, result: 'connected' });
    expect(calls[1]).toMatchObject({ ownerId: 77, ownerName: 'Julie Roux' });
  });

  it('reads a colleague the server cannot name as a colleague without a name', async () => {
    const { calls } = await latestPhoneCalls(client, { type: 'contact', id: marie }, 100);
    const unnamed = calls.find((call) => call.ownerId === 78);
    expect(unnamed).toBeDefined();
    expect(unnamed?.ownerName).toBeUndefined();
  });

  it('skips and counts the items it cannot read, and keeps the others', async () => {
    const good = {
      id: 9001,
      date: '2026-12-05T10:00:00+01:00',
      description: 'ok',
      related: [{ type: 'contact', id: marie }],
      source: 'outcoming',
      duration: 30,
      result: { id: 'noanswer', name: 'Pas de réponse' },
      owner: { id: 77, type: 'staff' },
      _embed: { owner: { id: 77, first_name: 'Julie', last_name: 'Roux' } },
    };
    const odd = { id: 9002, date: '2026-12-05T09:00:00Z', source: 'sideways', duration: -4, result: 42, description: null };
    const body = {
      pagination: { limit: 5, count: 5, total: 5, offset: 'x' },
      data: [good, { id: 'not-a-number', date: '2026-12-05T10:00:00Z' }, { id: 9003, date: 'yesterday' }, null, odd],
    };
    server.faults.inject({ method: 'POST', path: '/v2/phone-calls/search' }, { body: JSON.stringify(body) });
    const { calls, skipped } = await latestPhoneCalls(client, { type: 'contact', id: marie }, 5);
    expect(skipped).toBe(3);
    expect(calls).toEqual([
      {
        id: 9001,
        date: good.date,
        description: 'ok',
        related: good.related,
        source: 'outcoming',
        duration: 30,
        result: 'noanswer',
        ownerId: 77,
        ownerName: 'Julie Roux',
      },
      // Values Sellsy may add to its enums, or odd ones, are read as absent, not as an unreadable call.
      { id: 9002, date: odd.date, description: null, related: [] },
    ]);
  });

  it('asks by creation order when told to', async () => {
    const { calls } = await latestPhoneCalls(client, { type: 'contact', id: marie }, 2, 'id');
    expect(Object.fromEntries(server.requests.at(-1)!.query)).toMatchObject({ order: 'id', direction: 'desc' });
    expect(calls.map((call) => call.date)).toHaveLength(2);
    expect(Date.parse(calls[0]!.date)).toBe(Date.parse('2026-12-02T10:00:00Z'));
  });
});
