/**
 * One call Allo lists that the extension cannot read (a new `direction`, a hidden caller, a date
 * that does not parse) is skipped and counted; the others are logged, and the popup says so.
 */
import 'fake-indexeddb/auto';
import { h, render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RecentCalls } from '@/components/RecentCalls';
import { formatWhen } from '@/components/when';
import { AlloClient } from '@/lib/allo/api-client';
import { openCacheDb } from '@/lib/cache/open';
import { CallPoller, type PollState } from '@/lib/calls/call-poller';
import { CallStore } from '@/lib/calls/call-store';
import { noteSkippedCalls, summarizeSkippedCalls } from '@/lib/calls/skipped-calls';
import { onMessage } from '@/lib/messaging';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const USER = { id: 'usr-1', name: 'Camille Martin', email: 'camille@example.fr' };
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const item = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  type: 'CALL',
  direction: 'INBOUND',
  allo_number: '+33159000000',
  contact_number: '+33612345678',
  contacts: [],
  user: USER,
  date: '2026-11-28T09:30:00Z',
  duration: 0,
  result: null,
  recording_url: null,
  summary: null,
  tags: [],
  ...fields,
});

let db = 0;
beforeEach(() => {
  fakeBrowser.reset();
});

function pollerFor(page: unknown[]) {
  const calls = new CallStore(openCacheDb(`skipped-${++db}`));
  let state: PollState | null = null;
  const allo = new AlloClient({
    apiUrl: 'https://allo',
    apiKey: async () => 'key',
    fetch: async (url) => json(String(url).endsWith('/search') ? { data: page, pagination: { has_more: false } } : { data: [] }),
  });
  const poller = new CallPoller({
    allo,
    calls,
    loadState: async () => state,
    saveState: async (saved) => {
      state = saved;
    },
    noteSkipped: (items) => noteSkippedCalls(items, NOW),
    now: () => NOW,
  });
  return { calls, poller };
}

describe('an Allo page with calls that cannot be read', () => {
  it('logs the good calls, and counts each bad one of the user once', async () => {
    const { calls, poller } = pollerFor([
      item('cll-good1'),
      item('cll-new-direction', { direction: 'INTERNAL' }),
      item('cll-hidden', { contact_number: null }),
      item('cll-teammate', { direction: 'INTERNAL', user: { id: 'usr-2', name: 'Hugo', email: 'hugo@example.fr' } }),
      item('cll-good2', { date: '2026-11-28T09:00:00Z', result: 'ANSWERED', duration: 30 }),
      item('cll-bad-date', { date: 'yesterday' }),
    ]);
    expect(await poller.poll(USER.id, NOW - 60 * 60_000)).toBe(2);
    expect((await calls.recent(10)).map((call) => call.alloId)).toEqual(['cll-good1', 'cll-good2']);
    expect(await summarizeSkippedCalls(NOW)).toEqual({ count: 3, lastReason: 'date = "yesterday"' });
    // Seen again at the next poll: not counted again.
    await poller.poll(USER.id, NOW - 60 * 60_000);
    expect(await summarizeSkippedCalls(NOW)).toEqual({ count: 3, lastReason: 'date = "yesterday"' });
    // A week later they are out of every poll's range, and out of the count.
    expect(await summarizeSkippedCalls(NOW + 7 * 24 * 60 * 60_000)).toBeNull();
  });
});

describe('the popup with data it cannot format', () => {
  it('shows "—" for a date that does not parse instead of throwing', () => {
    const now = new Date(2026, 10, 28, 12, 0).getTime();
    expect(formatWhen('not a date', now, 'en-US')).toBe('—');
    expect(formatWhen(Number.NaN, now, 'en-US')).toBe('—');
    expect(formatWhen(new Date(2026, 10, 28, 9, 30).getTime(), now, 'en-US')).toMatch(/^today, 9:30\sAM$/);
  });

  it('lists a stored call with a bad date, and says how many calls were skipped', async () => {
    const messages: Record<string, string> = {
      messagesLocale: 'en',
      callsSkipped_other: '$1 Allo calls could not be read and were skipped (last: $2).',
    };
    fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) =>
      (messages[key] ?? key).replace(/\$(\d)/g, (_, n: string) => substitutions?.[Number(n) - 1] ?? '')) as typeof fakeBrowser.i18n.getMessage;
    onMessage('listCalls', () => ({
      calls: [
        {
          alloId: 'cll-1',
          direction: 'INBOUND',
          counterpart: '+33612345678',
          date: 'garbage',
          result: null,
          state: 'pending',
          waitingFor: 'contact',
          givesUpAt: Number.NaN,
          records: [],
        },
        { alloId: 'cll-2', direction: 'OUTBOUND', counterpart: '+33612345679', date: '2026-11-28T09:00:00Z', result: 'ANSWERED', state: 'synced', records: [] },
      ],
      alloUser: null,
      skipped: { count: 2, lastReason: 'direction = "INTERNAL"' },
    }));
    const root = document.createElement('div');
    document.body.append(root);
    render(h(RecentCalls, { alloConnected: true }), root);
    await expect.poll(() => root.querySelectorAll('li.call').length).toBe(2);
    expect(root.querySelector('li.call')?.textContent).toContain('—');
    expect(root.textContent).toContain('2 Allo calls could not be read and were skipped (last: direction = "INTERNAL").');
    render(null, root);
  });
});
