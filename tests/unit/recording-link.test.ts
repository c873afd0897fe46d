// @vitest-environment node
/**
 * "Listen": a fresh signed link from Allo's documented endpoint, asked for on click only, opened
 * in a tab; Allo's refusals become reasons the popup words. Against the local Allo server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlloClient } from '@/lib/allo/api-client';
import { listenToRecording } from '@/lib/allo/recording-link';
import { startAlloServer, type AlloServer } from '../servers/allo';

const NOW = Date.parse('2026-11-28T10:00:00Z');
let allo: AlloServer;
let client: AlloClient;

beforeAll(async () => {
  allo = await startAlloServer({ now: () => NOW });
});
afterAll(() => allo.close());
beforeEach(() => {
  allo.calls.clear();
  client = new AlloClient({ apiUrl: allo.url, apiKey: async () => 'allo-sandbox-key' });
});

describe('a fresh link to a call’s recording', () => {
  it('opens a link valid 60 minutes, fetched at the click, one request per click', async () => {
    const item = allo.calls.add({ result: 'ANSWERED', duration: 60, recording_url: 'https://storage.withallo.com/recordings/cll-r.mp3' });
    const opened: string[] = [];
    expect(allo.calls.recordingLinks).toBe(0);
    expect(await listenToRecording(client, item.id, async (url) => opened.push(url))).toEqual({ ok: true });
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^https:\/\/storage\.withallo\.com\/recordings\/cll-r\.mp3\?/);
    expect(allo.calls.recordingLinks).toBe(1);
    const { expiresAt } = await client.recordingLink(item.id);
    expect(Date.parse(expiresAt) - NOW).toBe(60 * 60_000);
  });

  it('says there is no recording, and opens nothing, for a call without one', async () => {
    const item = allo.calls.add({ result: null, duration: 0, recording_url: null });
    const opened: string[] = [];
    expect(await listenToRecording(client, item.id, async (url) => opened.push(url))).toEqual({ ok: false, reason: 'no-recording' });
    expect(opened).toEqual([]);
  });

  it('refuses a link that is not https, and says Allo is unavailable when it cannot be reached', async () => {
    const item = allo.calls.add({ result: 'ANSWERED', duration: 60, recording_url: 'http://storage.withallo.com/r.mp3' });
    expect(await listenToRecording(client, item.id, async () => undefined)).toEqual({ ok: false, reason: 'unavailable' });
    const offline = new AlloClient({ apiUrl: 'http://127.0.0.1:9', apiKey: async () => 'allo-sandbox-key' });
    expect(await listenToRecording(offline, item.id, async () => undefined)).toEqual({ ok: false, reason: 'unavailable' });
  });
});
