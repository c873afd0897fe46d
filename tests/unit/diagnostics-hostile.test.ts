/**
 * From the second hostile review of issue 23: "Copy diagnostics" copied field names, types and
 * API error codes whole from Allo's and Sellsy's answers, so a field named after a phone number,
 * an e-mail address or a person went into the report, and a line break in one forged report
 * lines. And two messages (or two failures) recorded at once lost one of them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readLastApiErrors, recordApiFailure } from '@/lib/diagnostics/api-errors';
import { buildDiagnostics, type DiagnosticsInput } from '@/lib/diagnostics/diagnostics';
import { readMessageShapes, recordMessageShape, shapeOf } from '@/lib/dialer/message-shapes';

beforeEach(() => {
  fakeBrowser.reset();
});

// Control characters, and the invisible ones that reorder or hide text (bidi overrides, zero widths).
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const PRIVATE = /0612|612345|marie|dupont|acme|forged/i;

const REPORT: DiagnosticsInput = {
  extensionVersion: '0.1.0',
  userAgent: 'Chrome/156.0.0.0',
  settings: { callTarget: 'allo-dialer', callTargetChosen: false, defaultCountry: 'FR', createLeads: false, backfillDays: 3 },
  managed: [],
  sellsyClient: 'user',
  connections: { sellsy: 'connected', allo: 'connected' },
  microphone: 'granted',
  shapes: [],
  apiErrors: {},
  now: 0,
};
const REPORT_LINES = buildDiagnostics({ ...REPORT, shapes: [{ at: 0, type: 'ready', known: true, fields: [] }] }).split('\n').length;

function expectClean(text: string): void {
  for (const line of text.split('\n')) expect(line).not.toMatch(CONTROL);
  expect(text).not.toMatch(PRIVATE);
  expect(text).not.toContain('@');
}

describe('dialer message shapes from a hostile frame', () => {
  const hostile = {
    source: 'allo-dialer',
    type: 'ringing',
    payload: {
      status: 'ok',
      '+33 6 12 34 56 78': 1,
      '0612345678': 'x',
      'marie.dupont@acme.fr': 'x',
      'Marie Dupont': 2,
      Dupont: 3,
      'a\nLast Sellsy API error: forged': 4,
      'b\u202eforged': 5,
      user0612: 6,
      nested: { call_id: 7, '06123456': { deep: 1 } },
    },
  };

  it('keeps only identifier-like field names, the others counted', () => {
    expect(shapeOf(hostile)).toEqual({
      type: 'ringing',
      fields: ['source: string(11)', 'payload.status: string(2)', 'payload.nested.call_id: number'],
      others: 9,
    });
  });

  it('keeps a type only when it is a plain token without a number in it', () => {
    expect(shapeOf({ type: 'call_ended' }).type).toBe('call_ended');
    for (const type of ['ringing\nLast Allo API error: forged', '0612345678', 'marie.dupont@acme.fr', 'Marie Dupont', 'a\u202eb', '', 'x'.repeat(41)])
      expect(shapeOf({ type }).type).toBe('(other)');
  });

  it('the report built from them holds no name, number, e-mail, control character or forged line', async () => {
    await recordMessageShape(hostile, false, 0);
    await recordMessageShape({ ...hostile, type: 'x\nLast Allo API error: forged' }, false, 1);
    const text = buildDiagnostics({ ...REPORT, shapes: await readMessageShapes() });
    expectClean(text);
    expect(text).toContain('ringing (unknown, ignored) {source: string(11); payload.status: string(2); payload.nested.call_id: number; 9 other fields}');
    expect(text.split('\n')).toHaveLength(REPORT_LINES + 1);
  });

  it('a stored shape written before these rules (or by anyone) is cleaned when read', async () => {
    await fakeBrowser.storage.local.set({
      dialerMessageShapes: [
        { at: 0, type: 'x\nforged', known: true, fields: ['payload.0612345678: number', 'ok: string(3)', 'a: string\nforged', 'a: number …89'] },
      ],
    });
    expect(await readMessageShapes()).toEqual([{ at: 0, type: '(other)', known: true, fields: ['ok: string(3)', 'a: number …89'], others: 2 }]);
  });

  it('the report itself never copies a control character, whatever it is given', () => {
    const text = buildDiagnostics({
      ...REPORT,
      userAgent: 'Chrome/156\nLast Allo API error: forged\u202e',
      sellsyClient: 'user\r\nx',
      shapes: [{ at: 0, type: 'a\nforged', known: true, fields: ['b\u0000: number'] }],
      apiErrors: { allo: { at: 0, method: 'GET\n', path: '/v2/\nforged', status: 403, code: 'x\ny' } },
    });
    expectClean(text);
    expect(text.split('\n')).toHaveLength(REPORT_LINES);
  });
});

describe('API error codes and paths', () => {
  it('keep a code only when it is a safe token', async () => {
    for (const [code, kept] of [
      ['API_KEY_INSUFFICIENT_SCOPE', 'API_KEY_INSUFFICIENT_SCOPE'],
      ['rate-limited.v2', 'rate-limited.v2'],
      ['x\nLast Sellsy API error: forged', '(other)'],
      ['marie.dupont@acme.fr', '(other)'],
      ['0612345678', '(other)'],
      ['06.12.34.56.78', '(other)'],
      ['Marie Dupont', '(other)'],
      ['', '(other)'],
      ['x'.repeat(41), '(other)'],
    ]) {
      await recordApiFailure('allo', { method: 'GET', path: '/v2/x', status: 403, code: code! }, 1);
      expect((await readLastApiErrors()).allo?.code, code).toBe(kept);
    }
  });

  it('keep a method, a path and a status only in their safe forms', async () => {
    await recordApiFailure('sellsy', { method: 'GET\nforged', path: '/v2/contacts/marie.dupont@acme.fr/x\ny', status: 4030, code: 'x' }, 1);
    expect((await readLastApiErrors()).sellsy).toEqual({ at: 1, method: '(other)', path: '/v2/contacts/:id/:id', code: 'x' });
  });

  it('a stored failure written before these rules is cleaned when read', async () => {
    await fakeBrowser.storage.local.set({
      lastApiErrors: { allo: { at: 0, method: 'GET', path: '/a\nforged/0612345678', status: 500, code: 'marie@acme.fr' } },
    });
    expect(await readLastApiErrors()).toEqual({ allo: { at: 0, method: 'GET', path: '/:id/:id', status: 500, code: '(other)' } });
  });
});

describe('records made at the same time', () => {
  it('keeps every dialer message shape', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordMessageShape({ type: `t_${i}` }, true, i)));
    expect((await readMessageShapes()).map((shape) => shape.type)).toEqual(Array.from({ length: 20 }, (_, i) => `t_${i}`));
  });

  it('keeps both services’ last failures', async () => {
    await Promise.all([
      recordApiFailure('sellsy', { method: 'GET', path: '/v2/staffs', status: 401, code: 'unauthorized' }, 1),
      recordApiFailure('allo', { method: 'POST', path: '/v2/api/x', status: 500, code: 'server' }, 2),
    ]);
    expect(await readLastApiErrors()).toEqual({
      sellsy: { at: 1, method: 'GET', path: '/v2/staffs', status: 401, code: 'unauthorized' },
      allo: { at: 2, method: 'POST', path: '/v2/api/x', status: 500, code: 'server' },
    });
  });
});
