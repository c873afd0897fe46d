// @vitest-environment node
/**
 * The local Allo's calls (tests/servers/allo-calls.ts) through real HTTP: search, get and batch
 * as allo-api.md §3 describes them, since the call-logging pipeline is tested against them.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALLO_RATE_LIMITS, DEFAULT_ALLO_USERS, startAlloServer, type AlloServer } from '../servers/allo';
import { AlloCalls, type CallItem, type GenerateOptions } from '../servers/allo-calls';

const KEY = 'Api-Key allo-sandbox-key';
const NOW = Date.parse('2026-04-21T15:00:00Z');
const CAMILLE = { id: 'usr-camille4242', name: 'Camille Martin', email: 'camille.martin@example.fr' };

interface Page {
  data: CallItem[];
  pagination: { page: number; size: number; total_count: number; total_pages: number; has_more: boolean };
}

describe('local Allo: conversation items', () => {
  let allo: AlloServer;
  let clock = NOW;

  beforeAll(async () => {
    allo = await startAlloServer({ now: () => clock });
  });
  beforeEach(() => {
    clock = NOW;
    allo.rateLimits = undefined; // most tests send more than 5 POSTs a second
  });
  afterEach(() => {
    allo.calls.clear();
    allo.faults.clear();
  });
  afterAll(() => allo.close());

  function post(path: string, body: unknown, authorization = KEY, contentType = 'application/json'): Promise<Response> {
    return fetch(`${allo.url}${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
  const search = (body: unknown, authorization?: string) => post('/v2/api/conversations/items/search', body, authorization);
  const batch = (ids: unknown, authorization?: string) => post('/v2/api/conversations/items/batch', { ids }, authorization);
  const getItem = (id: string, authorization = KEY) => fetch(`${allo.url}/v2/api/conversations/items/${id}`, { headers: { authorization } });

  async function page(body: unknown): Promise<Page> {
    const response = await search(body);
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  }

  it('adds a call with the documented shape and defaults', async () => {
    const call = allo.calls.add({ contact_number: '+33611223344' });
    expect(call.id).toMatch(/^cll-[0-9a-f]{8}$/);
    const { data } = (await (await getItem(call.id)).json()) as { data: unknown };
    expect(data).toEqual({
      id: call.id,
      type: 'CALL',
      direction: 'INBOUND',
      allo_number: '+33159000000',
      contact_number: '+33611223344',
      contacts: [],
      user: CAMILLE,
      date: '2026-04-21T15:00:00Z',
      duration: 60,
      result: 'ANSWERED',
      recording_url: `https://storage.withallo.com/recordings/${call.id}.mp3`,
      summary: null,
      tags: [],
      transcript: null,
    });
    const missed = allo.calls.add({ result: null, direction: 'OUTBOUND', user_id: 'usr-julien1717' });
    expect(missed).toMatchObject({ result: null, duration: 0, recording_url: null, user: { id: 'usr-julien1717', name: 'Julien Bernard' } });
    expect(() => allo.calls.add({ user_id: 'usr-nobody' })).toThrow();
  });

  it('searches a whole-day window (to inclusive, UTC days) and one user', async () => {
    const at = (date: string, user_id = CAMILLE.id) => allo.calls.add({ date, user_id }).id;
    const before = at('2026-04-19T23:59:59Z');
    const first = at('2026-04-20T00:00:00Z');
    const julien = at('2026-04-20T12:00:00Z', 'usr-julien1717');
    const last = at('2026-04-21T23:59:59Z');
    const after = at('2026-04-22T00:00:00Z');

    const mine = await page({ type: 'CALL', date: { from: '2026-04-20', to: '2026-04-21' }, user_id: CAMILLE.id, sort: 'DATE_DESC', page: 1, size: 100 });
    expect(mine.data.map((item) => item.id)).toEqual([last, first]);
    expect(mine.pagination).toEqual({ page: 1, size: 100, total_count: 2, total_pages: 1, has_more: false });

    const team = await page({ date: { from: '2026-04-20', to: '2026-04-21' } });
    expect(team.data.map((item) => item.id)).toEqual([last, julien, first]);
    expect(team.pagination).toEqual({ page: 1, size: 20, total_count: 3, total_pages: 1, has_more: false });

    const oneDay = await page({ date: { from: '2026-04-22', to: '2026-04-22' } });
    expect(oneDay.data.map((item) => item.id)).toEqual([after]);
    expect((await page({})).data.map((item) => item.id)).toEqual([after, last, julien, first, before]);
    expect((await page({ user_id: 'usr-unknown' })).data).toEqual([]);
  });

  it('sorts newest first by default and on DATE_DESC, oldest first on DATE_ASC', async () => {
    allo.calls.add({ date: '2026-04-21T09:00:00Z', contact_number: '+33600000002' });
    allo.calls.add({ date: '2026-04-21T08:00:00Z', contact_number: '+33600000001' });
    allo.calls.add({ date: '2026-04-21T10:00:00Z', contact_number: '+33600000003' });
    const numbers = (result: Page) => result.data.map((item) => item.contact_number.slice(-1));
    expect(numbers(await page({}))).toEqual(['3', '2', '1']);
    expect(numbers(await page({ sort: 'DATE_DESC' }))).toEqual(['3', '2', '1']);
    expect(numbers(await page({ sort: 'DATE_ASC' }))).toEqual(['1', '2', '3']);
  });

  it('pages with has_more until every item was returned exactly once', async () => {
    // Many calls share a second so the tie-break has to keep pages stable.
    allo.calls.generate({ count: 230, from: new Date('2026-04-20T00:00:00Z'), to: new Date('2026-04-21T14:00:00Z'), seed: 7 });
    for (let i = 0; i < 7; i++) allo.calls.add({ date: '2026-04-20T10:00:00Z' });
    const seen: string[] = [];
    const pages: Page['pagination'][] = [];
    for (let n = 1; ; n++) {
      const result = await page({ type: 'CALL', date: { from: '2026-04-20', to: '2026-04-21' }, sort: 'DATE_DESC', page: n, size: 100 });
      seen.push(...result.data.map((item) => item.id));
      pages.push(result.pagination);
      if (!result.pagination.has_more) break;
    }
    expect(pages).toEqual([
      { page: 1, size: 100, total_count: 237, total_pages: 3, has_more: true },
      { page: 2, size: 100, total_count: 237, total_pages: 3, has_more: true },
      { page: 3, size: 100, total_count: 237, total_pages: 3, has_more: false },
    ]);
    expect(seen).toHaveLength(237);
    expect(new Set(seen)).toEqual(new Set(allo.calls.items.keys()));
    const beyond = await page({ page: 4, size: 100 });
    expect(beyond.data).toEqual([]);
    expect(beyond.pagination).toEqual({ page: 4, size: 100, total_count: 237, total_pages: 3, has_more: false });
  });

  it('refuses size over 100 and badly typed fields with the envelope and errors[]', async () => {
    const tooBig = await search({ size: 101 });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.json()).toEqual({
      error: {
        type: 'validation_error',
        code: 'INVALID_PAGE_SIZE',
        message: expect.any(String),
        retryable: false,
        request_id: expect.stringMatching(/^req_/),
        param: 'size',
        errors: [{ field: 'size', code: 'INVALID_PAGE_SIZE', message: expect.any(String) }],
      },
    });

    const wrong = await search({ type: 'CALLS', page: '2', user_id: 42, date: { from: '2026-04-01' } });
    expect(wrong.status).toBe(400);
    const { error } = (await wrong.json()) as { error: { type: string; errors: Array<{ field: string; code: string }> } };
    expect(error.type).toBe('validation_error');
    expect(error.errors.map(({ field, code }) => [field, code])).toEqual([
      ['type', 'INVALID_REQUEST_BODY'],
      ['user_id', 'INVALID_REQUEST_BODY'],
      ['page', 'INVALID_REQUEST_BODY'],
      ['date', 'INVALID_DATE_RANGE'],
    ]);

    const reversed = await search({ date: { from: '2026-04-21', to: '2026-04-20' } });
    expect(await reversed.json()).toMatchObject({ error: { code: 'INVALID_DATE_RANGE', param: 'date' } });
    expect((await search({ date: { from: '2026-02-30', to: '2026-03-01' } })).status).toBe(400);
    expect(await (await search({ size: 0 })).json()).toMatchObject({ error: { code: 'INVALID_PAGE_SIZE' } });
    expect(await (await search({ contact_number: '0612345678' })).json()).toMatchObject({ error: { code: 'INVALID_PHONE_FORMAT' } });
    expect(await (await search({ extend: 'recording' })).json()).toMatchObject({ error: { code: 'UNSUPPORTED_EXTEND_VALUE' } });

    const malformed = await post('/v2/api/conversations/items/search', '{"type": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { type: 'validation_error', code: 'INVALID_REQUEST_BODY' } });
    const notJson = await post('/v2/api/conversations/items/search', '{}', KEY, 'text/plain');
    expect(notJson.status).toBe(415);
    expect(await notJson.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('answers DATE_RANGE_TOO_WIDE only when a test sets a maximum span', async () => {
    expect((await search({ date: { from: '2020-01-01', to: '2026-04-21' } })).status).toBe(200);
    allo.calls.maxDateRangeDays = 31;
    try {
      expect((await search({ date: { from: '2026-03-22', to: '2026-04-21' } })).status).toBe(200);
      const wide = await search({ date: { from: '2026-03-21', to: '2026-04-21' } });
      expect(wide.status).toBe(400);
      expect(await wide.json()).toMatchObject({ error: { code: 'DATE_RANGE_TOO_WIDE' } });
    } finally {
      allo.calls.maxDateRangeDays = undefined;
    }
  });

  it('filters on direction, result, numbers, tags and keywords', async () => {
    const a = allo.calls.add({ direction: 'OUTBOUND', contact_number: '+33611111111', tags: ['prospect'], summary: 'Devis envoyé pour la facturation' });
    const b = allo.calls.add({ result: 'VOICEMAIL', allo_number: '+33159000001' });
    const sms = allo.calls.add({ type: 'SMS', content: 'Bonjour' });
    expect(sms.id).toMatch(/^msg-/);
    const ids = async (body: unknown) => (await page(body)).data.map((item) => item.id);
    expect(await ids({ direction: 'OUTBOUND' })).toEqual([a.id]);
    expect(await ids({ result: 'VOICEMAIL' })).toEqual([b.id]);
    expect(await ids({ allo_number: '+33159000001' })).toEqual([b.id]);
    expect(await ids({ contact_number: '+33611111111' })).toEqual([a.id]);
    expect(await ids({ tags: ['prospect'] })).toEqual([a.id]);
    expect(await ids({ search: 'devis factur' })).toEqual([a.id]);
    expect(await ids({ type: 'CALL' })).not.toContain(sms.id);
    expect(await ids({ type: 'SMS' })).toEqual([sms.id]);
    expect(await ids({ type: 'ALL' })).toHaveLength(3);
  });

  it('gets one item, 404 CONVERSATION_ITEM_NOT_FOUND for an unknown id, 400 for a foreign prefix', async () => {
    const call = allo.calls.add({ transcript: [{ source: 'USER', time: '2026-04-21T15:00:01Z', text: 'Bonjour' }] });
    const found = await getItem(call.id);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { data: CallItem }).data.transcript).toBeNull();
    const extended = (await (await getItem(`${call.id}?extend=transcript`)).json()) as { data: CallItem };
    expect(extended.data.transcript).toEqual([{ source: 'USER', time: '2026-04-21T15:00:01Z', text: 'Bonjour' }]);

    const missing = await getItem('cll-00000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        type: 'not_found_error',
        code: 'CONVERSATION_ITEM_NOT_FOUND',
        message: "No call or message found with ID 'cll-00000000'.",
        retryable: false,
        request_id: expect.stringMatching(/^req_/),
        param: 'id',
      },
    });
    expect(await (await getItem('call_123')).json()).toMatchObject({ error: { code: 'INVALID_ITEM_ID' } });
  });

  it('batch answers the found items in request order and drops unknown ids', async () => {
    const one = allo.calls.add({ date: '2026-04-21T09:00:00Z' });
    const two = allo.calls.add({ date: '2026-04-21T10:00:00Z' });
    const response = await batch([two.id, 'cll-deadbeef', one.id, two.id]);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: CallItem[] };
    expect(Object.keys(body)).toEqual(['data']);
    expect(body.data.map((item) => item.id)).toEqual([two.id, one.id]);
    expect(body.data[0]).toMatchObject({ id: two.id, type: 'CALL', user: CAMILLE, transcript: null });

    expect(await (await batch([])).json()).toEqual({ data: [] });
    const tooMany = await batch(Array.from({ length: 101 }, (_, i) => `cll-${i}`));
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ error: { type: 'validation_error', code: 'BATCH_TOO_LARGE', param: 'ids' } });
    expect((await batch(Array.from({ length: 100 }, (_, i) => `cll-${i}`))).status).toBe(200);
    expect(await (await batch('cll-1')).json()).toMatchObject({ error: { code: 'INVALID_REQUEST_BODY' } });
    expect(await (await batch(['call_1'])).json()).toMatchObject({ error: { code: 'INVALID_ITEM_ID' } });
  });

  it('needs CONVERSATIONS_READ on all three endpoints', async () => {
    const call = allo.calls.add({});
    const noCalls = 'Api-Key allo-no-calls-key';
    for (const response of [await search({}, noCalls), await batch([call.id], noCalls), await getItem(call.id, noCalls)]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { type: 'permission_error', code: 'API_KEY_INSUFFICIENT_SCOPE', retryable: false } });
    }
  });

  it('shows a summary set later on the next read', async () => {
    const call = allo.calls.add({ date: '2026-04-21T14:50:00Z' });
    expect(((await (await batch([call.id])).json()) as { data: CallItem[] }).data[0]?.summary).toBeNull();
    const updated = allo.calls.setSummary(call.id, 'Rappeler lundi pour le devis.');
    expect(updated.summary).toBe('Rappeler lundi pour le devis.');
    expect(((await (await batch([call.id])).json()) as { data: CallItem[] }).data[0]?.summary).toBe('Rappeler lundi pour le devis.');
    expect(((await (await getItem(call.id)).json()) as { data: CallItem }).data.summary).toBe('Rappeler lundi pour le devis.');
    expect((await page({ search: 'devis' })).data.map((item) => item.id)).toEqual([call.id]);
    expect(() => allo.calls.setSummary('cll-nothere', 'x')).toThrow();
  });

  it('counts search and batch as writes: 5 a second, then 429 with Retry-After', async () => {
    allo.rateLimits = { ...ALLO_RATE_LIMITS };
    clock = Math.floor(NOW / 1000) * 1000 + 500_000;
    for (let i = 0; i < 4; i++) expect((await search({})).status).toBe(200);
    const fifth = await batch([]);
    expect(fifth.status).toBe(200);
    expect(fifth.headers.get('x-ratelimit-limit')).toBe('5');
    expect(fifth.headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await search({});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMIT_EXCEEDED', retryable: true, retry_after_seconds: 1 } });
    expect((await getItem('cll-00000000')).status).toBe(404); // reads have their own budget
    clock += 1000;
    expect((await search({})).status).toBe(200);
  });
});

describe('AlloCalls.generate', () => {
  const options: GenerateOptions = {
    count: 400,
    users: ['usr-camille4242', 'usr-julien1717'],
    numbers: ['+33612345678', '+33698765432', '+33700000001'],
    from: new Date('2026-04-14T00:00:00Z'),
    to: new Date('2026-04-21T12:00:00Z'),
    seed: 42,
  };
  const fresh = () =>
    new AlloCalls(
      () => DEFAULT_ALLO_USERS,
      () => new Date(NOW),
    );

  it('is deterministic: same options, same calls; another seed, other calls', () => {
    const first = fresh().generate(options);
    expect(fresh().generate(options)).toEqual(first);
    expect(fresh().generate({ ...options, seed: 43 })).not.toEqual(first);
    expect(new Set(first.map((call) => call.id)).size).toBe(400);
  });

  it('spreads calls over the window, users and numbers, with missed calls and pending summaries', () => {
    const calls = fresh().generate(options);
    const times = calls.map((call) => Date.parse(call.date));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(options.from.getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(options.to.getTime());
    expect(new Set(calls.map((call) => call.user.id))).toEqual(new Set(options.users));
    expect(new Set(calls.map((call) => call.contact_number))).toEqual(new Set(options.numbers));
    expect(new Set(calls.map((call) => call.direction))).toEqual(new Set(['INBOUND', 'OUTBOUND']));
    expect(new Set(calls.map((call) => call.result))).toEqual(new Set(['ANSWERED', 'VOICEMAIL', 'TRANSFERRED', null]));

    const missed = calls.filter((call) => call.result === null);
    expect(missed.length / calls.length).toBeGreaterThan(0.15);
    expect(missed.every((call) => (call.duration === null || call.duration === 0) && call.recording_url === null && call.summary === null)).toBe(true);
    expect(new Set(missed.map((call) => call.duration))).toEqual(new Set([null, 0]));

    const reached = calls.filter((call) => call.result !== null);
    const pending = reached.filter((call) => call.summary === null).length / reached.length;
    expect(pending).toBeGreaterThan(0.2);
    expect(pending).toBeLessThan(0.4);
    expect(reached.every((call) => typeof call.duration === 'number' && call.duration > 0)).toBe(true);
  });
});
