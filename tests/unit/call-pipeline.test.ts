// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '@/lib/calls/call-record';
import { toCallRecord } from '@/lib/calls/call-poller';
import { callMarker } from '@/lib/calls/description-block';
import { planTargets, phoneCallBody, sellsyResult, sellsySource } from '@/lib/calls/phone-call-mapping';
import { NOT_FOUND_AFTER_MS, SEARCH_SETTLE_MS, SUMMARY_WAIT_MS } from '@/lib/calls/pipeline';
import { MAX_WAIT_IN_REQUEST_MS } from '@/lib/sellsy/api-client';
import type { NewCallItem } from '../servers/allo-calls';
import { createBrowser, issue, startServers, type Browser, type Clock, type Servers } from '../support/call-harness';

let servers: Servers;
let clock: Clock;

beforeEach(async () => {
  servers = await startServers();
  clock = { now: Date.now() };
});

afterEach(async () => {
  await servers.close();
});

/** A browser whose cache is synced and which knows one Allo call (as a poll would have written it). */
async function browserWithCall(fields: NewCallItem = {}): Promise<{ browser: Browser; call: CallRecord }> {
  const browser = createBrowser(servers, clock);
  await browser.sync.run();
  const item = servers.allo.calls.add({ result: 'ANSWERED', duration: 90, summary: 'Interested in the Pro plan.', ...fields });
  const call = toCallRecord(item as never, item.user.id, clock.now)!;
  await browser.calls.addIfNew(call);
  return { browser, call };
}

const phoneCallsFor = (alloId: string) => [...servers.sellsy.phoneCalls.items.values()].filter((p) => p.description?.includes(callMarker(alloId)));

describe('mapping', () => {
  it('maps Allo results and directions to Sellsy’s', () => {
    expect([sellsyResult('ANSWERED'), sellsyResult('VOICEMAIL'), sellsyResult('TRANSFERRED'), sellsyResult(null)]).toEqual([
      'connected',
      'msgvocal',
      'transfer',
      'noanswer',
    ]);
    expect([sellsySource('INBOUND'), sellsySource('OUTBOUND')]).toEqual(['incoming', 'outcoming']);
  });

  it('folds a matched company into one matched contact’s Phone Call (the lowest id); others get their own', () => {
    const record = (kind: 'contact' | 'company', id: number, name: string) => ({
      key: `${kind}:${id}`,
      kind,
      sellsyId: id,
      name,
      phones: ['+33142685300'],
      rawPhones: [],
      updated: '',
    });
    const targets = planTargets(
      [record('contact', 1, 'Marie'), record('company', 9, 'Acme'), record('contact', 2, 'Jean'), record('company', 10, 'Other')],
      (id) => (id === 1 || id === 2 ? { contactId: id, companyId: 9, companyName: 'Acme' } : undefined),
    );
    // Company 9 is related once: two Phone Calls relating it would log the call twice on it.
    expect(targets.map((t) => t.related)).toEqual([
      [
        { type: 'contact', id: 1 },
        { type: 'company', id: 9 },
      ],
      [{ type: 'contact', id: 2 }],
      [{ type: 'company', id: 10 }],
    ]);
  });

  it('writes the summary, where the recording is (never its expiring link), a link to Allo and the marker into the description', () => {
    const call = {
      alloId: 'cll-1',
      direction: 'OUTBOUND',
      date: '2026-11-25T09:00:00Z',
      durationS: 61.6,
      result: 'VOICEMAIL',
      summary: 'Left a message.',
      recordingUrl: 'https://storage.withallo.com/recordings/cll-1.mp3?X-Signature=abc&Expires=3600',
    } as CallRecord;
    const body = phoneCallBody(call, { key: 'contact:1', kind: 'contact', sellsyId: 1, name: 'M', related: [{ type: 'contact', id: 1 }], state: 'todo' }, 42);
    expect(body).toMatchObject({ owner_id: 42, date: call.date, result: 'msgvocal', source: 'outcoming', duration: 62, related: [{ type: 'contact', id: 1 }] });
    expect(body.description.split('\n')).toEqual([
      expect.stringMatching(/^\[Allo #[0-9a-f]{8}\]$/),
      'Summary: Left a message.',
      'Recording: in Allo, with the call (a link to the file expires after 60 minutes)',
      'In Allo: https://web.withallo.com/',
      '[Allo call cll-1]',
    ]);
  });
});

describe('next to Allo’s own Sellsy integration (the local server plays it)', () => {
  const shifted = (date: string, s: number) => new Date(Date.parse(date) + s * 1000).toISOString().replace('.000Z', 'Z');

  it('adopts the integration’s Phone Call 59 s and 2 s off; posts its own at 61 s or 3 s, or on the other direction, unless it names the call', async () => {
    const marie = servers.sellsy.crm.addContact({ last_name: 'Dupont', mobile_number: '06 11 22 33 44' });
    const browser = createBrowser(servers, clock);
    await browser.sync.run();
    const at = (minutesAgo: number, fields: NewCallItem = {}) =>
      servers.allo.calls.add({
        result: 'ANSWERED',
        duration: 90,
        summary: 'Devis.',
        contact_number: '+33611223344',
        direction: 'INBOUND',
        date: new Date(clock.now - minutesAgo * 60_000),
        ...fields,
      });
    const cases = [
      { item: at(60), s: 59, d: 2, adopted: true },
      { item: at(50), s: -61, d: 0, adopted: false },
      { item: at(40), s: 0, d: -3, adopted: false },
      { item: at(30, { direction: 'OUTBOUND' }), s: 0, d: 0, adopted: false, source: 'INBOUND' as const },
      // Its recording link names the call: proof, whatever the clocks say.
      { item: at(20), s: 300, d: 5, adopted: true, named: true },
    ];
    const theirs = cases.map(({ item, s, d, source, named }) =>
      servers.sellsy.phoneCalls.logAsAlloIntegration(
        // Without the recording link only the guess's edges (time, length, direction) can tell.
        { ...item, recording_url: named ? item.recording_url : null, direction: source ?? item.direction, date: shifted(item.date, s) },
        { type: 'contact', id: marie.id },
        { durationOffsetS: d },
      ),
    );
    for (const { item } of cases) await browser.calls.addIfNew(toCallRecord(item as never, item.user.id, clock.now)!);
    await browser.pipeline.run();
    clock.now += SEARCH_SETTLE_MS;
    await browser.pipeline.run();
    for (const [i, { item, adopted }] of cases.entries()) {
      const target = (await browser.calls.get(item.id))?.targets[0];
      expect({ i, state: target?.state, ours: phoneCallsFor(item.id).length }).toEqual({ i, state: adopted ? 'adopted' : 'done', ours: adopted ? 0 : 1 });
      if (adopted) expect(target?.sellsyPhoneCallId).toBe(theirs[i]!.id);
    }
    for (const p of theirs) expect(servers.sellsy.phoneCalls.items.get(p.id)?.description).toBe(p.description);
  });
});

describe('pipeline', () => {
  it('logs a call on the one matching contact, with the staff as owner', async () => {
    const marie = servers.sellsy.crm.addContact({ first_name: 'Marie', last_name: 'Dupont', mobile_number: '06 11 22 33 44' });
    const { browser, call } = await browserWithCall({ contact_number: '+33611223344', direction: 'OUTBOUND' });
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced', targets: [{ state: 'posted', kind: 'contact', sellsyId: marie.id }] });
    // Settled once Sellsy's search has caught up with the write.
    clock.now += SEARCH_SETTLE_MS;
    await browser.pipeline.run();
    const saved = await browser.calls.get(call.alloId);
    expect(saved).toMatchObject({ state: 'synced', targets: [{ state: 'done', kind: 'contact', sellsyId: marie.id }] });
    const [posted] = phoneCallsFor(call.alloId);
    expect(posted).toMatchObject({
      owner: { id: servers.sellsy.staff.id },
      source: 'outcoming',
      result: { id: 'connected' },
      duration: 90,
      related: [{ type: 'contact', id: marie.id }],
    });
    expect(phoneCallsFor(call.alloId)).toHaveLength(1);
  });

  it('gives a contact and its company sharing the number one Phone Call relating both', async () => {
    const company = servers.sellsy.crm.addCompany({ name: 'Standard SA', phone_number: '01 44 55 66 77' });
    // Not the company's main contact: the link is only known to Sellsy.
    servers.sellsy.crm.addContact({ last_name: 'Principal', mobile_number: '06 00 00 00 01' });
    const employee = servers.sellsy.crm.addContact({ last_name: 'Employé', phone_number: '01 44 55 66 77' });
    servers.sellsy.crm.link(servers.sellsy.crm.addContact({ last_name: 'Main' }).id, company.id);
    servers.sellsy.crm.link(employee.id, company.id);
    const { browser, call } = await browserWithCall({ contact_number: '+33144556677' });
    await browser.pipeline.run();
    expect(phoneCallsFor(call.alloId).map((p) => p.related)).toEqual([
      [
        { type: 'contact', id: employee.id },
        { type: 'company', id: company.id },
      ],
    ]);
  });

  it('logs a shared number on every record that has it', async () => {
    for (const name of ['Un', 'Deux', 'Trois']) servers.sellsy.crm.addContact({ last_name: name, phone_number: '01 99 88 77 66' });
    const { browser, call } = await browserWithCall({ contact_number: '+33199887766' });
    await browser.pipeline.run();
    expect(phoneCallsFor(call.alloId).map((p) => p.related[0]!.type)).toEqual(['contact', 'contact', 'contact']);
    expect((await browser.calls.get(call.alloId))?.targets).toHaveLength(3);
  });

  it('waits up to 15 minutes for the summary, then logs without it, and updates it when it comes', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Attente', mobile_number: '06 55 44 33 22' });
    const { browser, call } = await browserWithCall({ contact_number: '+33655443322', summary: null, date: new Date(clock.now) });
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'pending', waitingFor: 'summary' });
    expect(phoneCallsFor(call.alloId)).toHaveLength(0);

    clock.now += SUMMARY_WAIT_MS + 2 * 60_000;
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced' });
    expect(phoneCallsFor(call.alloId)[0]?.description).toContain('The Allo summary is not available yet.');

    servers.allo.calls.setSummary(call.alloId, 'Wants a demo on Friday.');
    await browser.poller.poll('usr-camille4242', clock.now - 60 * 60_000);
    await browser.pipeline.run();
    const [updated] = phoneCallsFor(call.alloId);
    expect(updated?.description).toContain('Summary: Wants a demo on Friday.');
    expect(phoneCallsFor(call.alloId)).toHaveLength(1);
  });

  it('does not wait for the summary of a missed call', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Manqué', mobile_number: '06 55 44 33 11' });
    const { browser, call } = await browserWithCall({ contact_number: '+33655443311', result: null, duration: 0, summary: null, date: new Date(clock.now) });
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced' });
    expect(phoneCallsFor(call.alloId)[0]).toMatchObject({ result: { id: 'noanswer' } });
  });

  it('keeps an unknown number pending, retries after syncs, and says "Contact not found" after 24 h', async () => {
    const { browser, call } = await browserWithCall({ contact_number: '+33698989898' });
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'pending', waitingFor: 'contact' });
    clock.now += NOT_FOUND_AFTER_MS;
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'contact_not_found' });

    // The contact is added in Sellsy; Retry finds it after a sync.
    servers.sellsy.crm.addContact({ last_name: 'Enfin', mobile_number: '06 98 98 98 98' });
    await browser.sync.run();
    await browser.pipeline.retry(call.alloId);
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced' });
  });

  it('matches a contact synced later, while the call waits', async () => {
    const { browser, call } = await browserWithCall({ contact_number: '+33612121212' });
    await browser.pipeline.run();
    servers.sellsy.crm.addContact({ last_name: 'Tardif', phone_number: '+33 6 12 12 12 12' });
    clock.now += 11 * 60_000;
    await browser.sync.run();
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced' });
  });

  it('creates a lead for an unknown number when the option is on, once even if the answer is lost', async () => {
    const { browser, call } = await browserWithCall({ contact_number: '+33677665544', contacts: [{ id: 'cnt-1', name: 'Paul Inconnu' }] });
    browser.options.createLeads = true;
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/contacts' }, { drop: 'after' });
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'pending', waitingFor: 'retry' });
    clock.now += 60_000;
    await browser.pipeline.run();
    const leads = [...servers.sellsy.crm.contacts.values()].filter((c) => c.phone_number === '+33677665544');
    expect(leads.map((c) => c.last_name)).toEqual(['Paul Inconnu']);
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced', targets: [{ sellsyId: leads[0]!.id }] });
    expect((await browser.cache.findByNumber('+33677665544')).map((r) => r.sellsyId)).toEqual([leads[0]!.id]);
  });

  it('makes one lead, not two, when two browsers of the same user meet the same unknown number', async () => {
    const { browser: first, call } = await browserWithCall({ contact_number: '+33677665500' });
    const second = createBrowser(servers, clock);
    await second.sync.run();
    await second.calls.addIfNew({ ...call });
    first.options.createLeads = true;
    second.options.createLeads = true;
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    // Whichever lost the race adopts the kept lead on its next pass; copies settle once searchable.
    clock.now += 60_000;
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    clock.now += SEARCH_SETTLE_MS;
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    const leads = [...servers.sellsy.crm.contacts.values()].filter((c) => c.phone_number === '+33677665500');
    expect(leads.map((c) => c.id)).toHaveLength(1);
    expect(phoneCallsFor(call.alloId)).toHaveLength(1);
  });

  it('makes no lead before the first contact sync is complete: the number may be in Sellsy', async () => {
    const browser = createBrowser(servers, clock);
    const item = servers.allo.calls.add({ contact_number: '+33677665511', summary: 'x' });
    await browser.calls.addIfNew(toCallRecord(item as never, item.user.id, clock.now)!);
    browser.options.createLeads = true;
    await browser.pipeline.run();
    expect(await browser.calls.get(item.id)).toMatchObject({ state: 'pending', waitingFor: 'contact' });
    expect([...servers.sellsy.crm.contacts.values()].filter((c) => c.phone_number === '+33677665511')).toEqual([]);
  });

  it('posts once when Sellsy stores the call and the connection drops before the answer', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Coupure', mobile_number: '06 44 33 22 11' });
    const { browser, call } = await browserWithCall({ contact_number: '+33644332211' });
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { drop: 'after' });
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'pending', targets: [{ state: 'posting' }] });
    // A new worker finds the target in `posting`, searches, finds the marker, and does not post.
    const restarted = browser.restart();
    clock.now += 60_000;
    await restarted.pipeline.run();
    expect(await restarted.calls.get(call.alloId)).toMatchObject({ state: 'synced', targets: [{ state: 'posted' }] });
    clock.now += SEARCH_SETTLE_MS;
    await restarted.pipeline.run();
    expect(await restarted.calls.get(call.alloId)).toMatchObject({ state: 'synced', targets: [{ state: 'done' }] });
    expect(servers.sellsy.phoneCalls.created.filter((p) => p.description?.includes(callMarker(call.alloId)))).toHaveLength(1);
  });

  it('converges on one Phone Call when two browsers of the same user log the same call', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Double', mobile_number: '06 22 33 44 55' });
    const { browser: first, call } = await browserWithCall({ contact_number: '+33622334455' });
    const second = createBrowser(servers, clock);
    await second.sync.run();
    await second.calls.addIfNew({ ...call });
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    clock.now += SEARCH_SETTLE_MS;
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    expect(phoneCallsFor(call.alloId)).toHaveLength(1);
    const [a, b] = [await first.calls.get(call.alloId), await second.calls.get(call.alloId)];
    expect(a?.targets[0]?.sellsyPhoneCallId).toBe(phoneCallsFor(call.alloId)[0]?.id);
    expect(b?.targets[0]?.sellsyPhoneCallId).toBe(phoneCallsFor(call.alloId)[0]?.id);
  });

  it('says "Contact deleted" on a 404 and drops the record from the cache', async () => {
    const gone = servers.sellsy.crm.addContact({ last_name: 'Parti', mobile_number: '06 10 20 30 40' });
    const { browser, call } = await browserWithCall({ contact_number: '+33610203040' });
    servers.sellsy.crm.deleteContact(gone.id);
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'contact_deleted' });
    expect(await browser.cache.findByNumber('+33610203040')).toEqual([]);
  });

  it('keeps every call while Sellsy access is revoked, and logs them after reconnecting', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Révoqué', mobile_number: '06 10 20 30 50' });
    const { browser, call } = await browserWithCall({ contact_number: '+33610203050' });
    servers.sellsy.revokeAll();
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'integration_disconnected' });
    // Reconnect: new tokens.
    browser.tokens.value = issue(servers, clock);
    browser.options.connected = true;
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced' });
  });

  it('backs off on 429 and 500 and stays pending; Retry-After is honoured', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Lent', mobile_number: '06 10 20 30 60' });
    const { browser, call } = await browserWithCall({ contact_number: '+33610203060' });
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { status: 429, retryAfterS: 30 });
    await browser.pipeline.run();
    const waiting = await browser.calls.get(call.alloId);
    expect(waiting).toMatchObject({ state: 'pending', waitingFor: 'retry', nextAttemptAt: clock.now + 30_000 });
    // The 429 came before anything was stored, but the outcome was known: it is still searched first.
    clock.now += 31_000;
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced' });
    expect(phoneCallsFor(call.alloId)).toHaveLength(1);
  });

  it('leaves a call pending until a long Retry-After has passed, without holding the pass for it', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Patient', mobile_number: '06 10 20 30 61' });
    const { browser, call } = await browserWithCall({ contact_number: '+33610203061' });
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls/search' }, { status: 429, retryAfterS: 3600 });
    await browser.pipeline.run();
    expect(browser.sleeps.filter((ms) => ms > MAX_WAIT_IN_REQUEST_MS)).toEqual([]);
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'pending', waitingFor: 'retry', nextAttemptAt: clock.now + 3_600_000 });
    clock.now += 3_600_000;
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced' });
    expect(phoneCallsFor(call.alloId)).toHaveLength(1);
  });

  it('fails with a sentence saying which access to grant on a 403', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Interdit', mobile_number: '06 10 20 30 70' });
    const { browser, call } = await browserWithCall({ contact_number: '+33610203070' });
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { status: 403 });
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({
      state: 'failed',
      error: { code: 'forbidden', message: expect.stringContaining('phonecalls.write') },
    });
  });
});

describe('poller', () => {
  it('writes each of the user’s new calls once, and none of a teammate’s', async () => {
    const browser = createBrowser(servers, clock);
    const mine = servers.allo.calls.add({ date: new Date(clock.now - 60_000) });
    const teammate = servers.allo.users.find((u) => u.id !== 'usr-camille4242')!;
    servers.allo.calls.add({ user_id: teammate.id, date: new Date(clock.now - 60_000) });
    const before = servers.allo.calls.add({ date: new Date(clock.now - 3 * 60 * 60_000) });
    expect(await browser.poller.poll('usr-camille4242', clock.now - 60 * 60_000)).toBe(1);
    expect(await browser.poller.poll('usr-camille4242', clock.now - 60 * 60_000)).toBe(0);
    expect((await browser.calls.recent(10)).map((c) => c.alloId)).toEqual([mine.id]);
    expect(await browser.calls.get(before.id)).toBeUndefined();
  });

  it('finds a long call that Allo lists only once it ended, after later polls', async () => {
    const browser = createBrowser(servers, clock);
    const connectedAt = clock.now - 60 * 60_000;
    await browser.poller.poll('usr-camille4242', connectedAt);
    clock.now += 20 * 60_000;
    await browser.poller.poll('usr-camille4242', connectedAt);
    // Started 25 minutes ago, before the last poll's watermark; listed now.
    const long = servers.allo.calls.add({ date: new Date(clock.now - 25 * 60_000), duration: 24 * 60 });
    expect(await browser.poller.poll('usr-camille4242', connectedAt)).toBe(1);
    expect(await browser.calls.get(long.id)).toMatchObject({ durationS: 24 * 60 });
  });

  it('takes the result Allo corrects before the call is posted', async () => {
    const browser = createBrowser(servers, clock);
    const item = servers.allo.calls.add({ date: new Date(clock.now - 60_000), result: null, duration: 0 });
    await browser.poller.poll('usr-camille4242', clock.now - 60 * 60_000);
    servers.allo.calls.items.set(item.id, { ...item, result: 'ANSWERED', duration: 75 });
    await browser.poller.poll('usr-camille4242', clock.now - 60 * 60_000);
    expect(await browser.calls.get(item.id)).toMatchObject({ result: 'ANSWERED', durationS: 75 });
  });
});

describe('poller after a long absence or a back-fill', () => {
  const USER = 'usr-camille4242';
  const DAY = 24 * 60 * 60_000;

  it('reads a week-long absence a few days at a time, when Allo refuses wider ranges', async () => {
    servers.allo.calls.maxDateRangeDays = 7;
    const browser = createBrowser(servers, clock);
    await browser.poller.poll(USER, clock.now);
    const generated = servers.allo.calls.generate({
      count: 300,
      users: [USER],
      from: new Date(clock.now + 60_000),
      to: new Date(clock.now + 12 * DAY),
      seed: 5,
    });
    clock.now += 12 * DAY + 60_000;
    await browser.poller.poll(USER, clock.now);
    const known = await Promise.all(generated.map((item) => browser.calls.get(item.id)));
    expect(known.filter(Boolean)).toHaveLength(300);
  });

  it('does not drop the oldest calls when there are more than one poll reads', async () => {
    const browser = createBrowser(servers, clock);
    const connectedAt = clock.now;
    await browser.poller.poll(USER, connectedAt);
    // More than 50 pages of 100 over five days: the first poll reads the newest 5,000.
    const generated = servers.allo.calls.generate({
      count: 5_150,
      users: [USER],
      from: new Date(clock.now + 60_000),
      to: new Date(clock.now + 5 * DAY),
      seed: 6,
    });
    clock.now += 5 * DAY + 60_000;
    await browser.poller.poll(USER, connectedAt);
    clock.now += 60_000;
    await browser.poller.poll(USER, connectedAt);
    clock.now += 60_000;
    await browser.poller.poll(USER, connectedAt);
    const known = await Promise.all(generated.map((item) => browser.calls.get(item.id)));
    expect(known.filter(Boolean)).toHaveLength(5_150);
    // Caught up: the next poll reads only the last hours again (two pages at this rate of calls).
    const before = servers.allo.requests.filter((r) => r.path.endsWith('/search')).length;
    clock.now += 60_000;
    await browser.poller.poll(USER, connectedAt);
    expect(servers.allo.requests.filter((r) => r.path.endsWith('/search')).length - before).toBeLessThanOrEqual(2);
  }, 120_000);
});
