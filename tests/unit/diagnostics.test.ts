import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AlloClient } from '@/lib/allo/api-client';
import { pathWithoutIds, readLastApiErrors, recordApiFailure } from '@/lib/diagnostics/api-errors';
import { browserVersion, buildDiagnostics } from '@/lib/diagnostics/diagnostics';
import { MAX_SHAPES, readMessageShapes, recordMessageShape, shapeOf } from '@/lib/dialer/message-shapes';
import { askForMicrophone } from '@/lib/microphone/ask-microphone';
import { readMicrophoneState, watchMicrophoneState } from '@/lib/microphone/microphone-state';
import { siteSettingsUrl } from '@/lib/microphone/microphone-pages';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('dialer message shapes', () => {
  it('keeps field names and value types; numbers show their last two digits; no name or text', () => {
    const shape = shapeOf({
      source: 'allo-dialer',
      type: 'call_ended',
      payload: { phoneNumber: '+33 1 23 45 67 89', contact: { name: 'Marie Dupont' }, at: 3, tags: ['a'] },
    });
    expect(shape).toEqual({
      type: 'call_ended',
      fields: ['source: string(11)', 'payload.phoneNumber: number …89', 'payload.contact.name: string(12)', 'payload.at: number', 'payload.tags: array(1)'],
    });
    expect(JSON.stringify(shape)).not.toMatch(/Marie|234567/);
    expect(shapeOf('hello')).toEqual({ type: '?', fields: [] });
  });

  it('bounds what a hostile frame can make it store', () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    expect(shapeOf({ type: 'x', payload: deep }).fields).toEqual(['payload.a.b: object']);
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, i]));
    expect(shapeOf({ type: 'x'.repeat(500), payload: wide })).toMatchObject({ type: '(other)' });
    expect(shapeOf({ type: 'x', payload: wide }).fields).toHaveLength(30);
  });

  it('keeps the last 50, unknown types marked, and reads a broken stored value as none', async () => {
    for (let i = 0; i < MAX_SHAPES + 5; i++) await recordMessageShape({ type: `t${i}` }, i % 2 === 0, i);
    const shapes = await readMessageShapes();
    expect(shapes).toHaveLength(MAX_SHAPES);
    expect(shapes[0]).toEqual({ at: 5, type: 't5', known: false, fields: [] });
    await fakeBrowser.storage.local.set({ dialerMessageShapes: 'garbage' });
    expect(await readMessageShapes()).toEqual([]);
  });
});

describe('last API errors', () => {
  it('takes ids and queries out of paths', () => {
    expect(pathWithoutIds('/v2/contacts/958/phone-calls?limit=5')).toBe('/v2/contacts/:id/phone-calls');
    expect(pathWithoutIds('/v2/api/conversations/items/cll-abc/recording')).toBe('/v2/api/conversations/items/:id/recording');
    expect(pathWithoutIds('/v2/api/conversations/items/search')).toBe('/v2/api/conversations/items/search');
  });

  it('records what the Allo client was refused: method, path without ids, status, Allo’s code', async () => {
    const failures: unknown[] = [];
    const allo = new AlloClient({
      apiUrl: 'https://allo.test',
      apiKey: async () => 'key',
      fetch: async () => new Response(JSON.stringify({ error: { code: 'API_KEY_INSUFFICIENT_SCOPE', message: 'no' } }), { status: 403 }),
      onFailure: (failure) => {
        failures.push(failure);
        void recordApiFailure('allo', failure, 7);
      },
    });
    await expect(allo.recordingLink('cll-42')).rejects.toThrow();
    expect(failures).toEqual([{ method: 'GET', path: '/v2/api/conversations/items/cll-42/recording', status: 403, code: 'API_KEY_INSUFFICIENT_SCOPE' }]);
    await expect.poll(readLastApiErrors).toEqual({
      allo: { at: 7, method: 'GET', path: '/v2/api/conversations/items/:id/recording', status: 403, code: 'API_KEY_INSUFFICIENT_SCOPE' },
    });
  });
});

describe('the report', () => {
  it('names the browser from its full version list, else its user agent', () => {
    expect(browserVersion('Mozilla/5.0 Chrome/150.0.0.0 Safari/537.36 Edg/150.0.0.0', [{ brand: 'Microsoft Edge', version: '150.0.3485.66' }])).toBe(
      'Edge 150.0.3485.66',
    );
    expect(browserVersion('Mozilla/5.0 Chrome/156.0.0.0 Safari/537.36')).toBe('Chrome 156.0.0.0');
  });

  it('holds settings, microphone, shapes and errors, and no secret the inputs do not give it', () => {
    const text = buildDiagnostics({
      extensionVersion: '0.1.0',
      userAgent: 'Chrome/156.0.0.0',
      settings: { callTarget: 'allo-dialer', callTargetChosen: false, defaultCountry: 'FR', createLeads: false, backfillDays: 3 },
      managed: ['alloApiKey'],
      sellsyClient: 'user',
      connections: { sellsy: 'connected', allo: 'connected' },
      microphone: 'denied',
      shapes: [{ at: 0, type: 'ringing', known: false, fields: ['payload.phoneNumber: number …89'] }],
      apiErrors: { sellsy: { at: 0, method: 'POST', path: '/v2/phone-calls', status: 403, code: 'forbidden' } },
      now: 0,
    });
    expect(text).toContain('call target: allo-dialer (default)');
    expect(text).toContain('set by the administrator: alloApiKey');
    expect(text).toContain('Microphone: denied');
    expect(text).toContain('Last Sellsy API error: POST /v2/phone-calls → 403 forbidden');
    expect(text).toContain('Last Allo API error: none');
    expect(text).toContain('ringing (unknown, ignored) {payload.phoneNumber: number …89}');
  });
});

describe('the microphone', () => {
  const permissions = (state: string) => {
    const status = Object.assign(new EventTarget(), { state });
    return { status, query: async () => status as unknown as PermissionStatus };
  };

  it('reads and follows the permission without ever asking', async () => {
    const fake = permissions('prompt');
    expect(await readMicrophoneState(fake)).toBe('prompt');
    const seen: string[] = [];
    const stop = watchMicrophoneState((state) => seen.push(state), fake);
    await expect.poll(() => seen).toEqual(['prompt']);
    fake.status.state = 'granted';
    fake.status.dispatchEvent(new Event('change'));
    stop();
    fake.status.state = 'denied';
    fake.status.dispatchEvent(new Event('change'));
    expect(seen).toEqual(['prompt', 'granted']);
  });

  it('asks once, stops the tracks, and names why it could not', async () => {
    let stopped = 0;
    const stream = { getTracks: () => [{ stop: () => stopped++ }] } as unknown as MediaStream;
    expect(await askForMicrophone({ getUserMedia: async () => stream })).toBe('granted');
    expect(stopped).toBe(1);
    const refused = (name: string) => ({ getUserMedia: async () => Promise.reject(new DOMException('no', name)) });
    expect(await askForMicrophone(refused('NotAllowedError'))).toBe('denied');
    expect(await askForMicrophone(refused('NotFoundError'))).toBe('no-device');
    expect(await askForMicrophone(refused('NotReadableError'))).toBe('unavailable');
    expect(await askForMicrophone(undefined)).toBe('unavailable');
  });

  it('opens the extension’s own site settings, in Chrome or Edge', () => {
    expect(siteSettingsUrl('abc', 'Chrome/156')).toBe('chrome://settings/content/siteDetails?site=chrome-extension%3A%2F%2Fabc');
    expect(siteSettingsUrl('abc', 'Chrome/156 Edg/156')).toBe('edge://settings/content/siteDetails?site=chrome-extension%3A%2F%2Fabc');
  });
});
