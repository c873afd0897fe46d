/**
 * Every storage item, in every shape this repository ever wrote it (`git log -p` of the file
 * that defines it, and of the types it stores; the commit is named beside each shape). The
 * older version wrote it raw, without WXT's version mark; today's module is loaded afterwards and
 * read through today's API: the value is kept, or converted, never dropped.
 * The poll position (`local:callPoll`) and the IndexedDB schema are in stored-shapes.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AlloClient } from '@/lib/allo/api-client';

const NOW = Date.parse('2026-12-05T08:00:00Z');
const DAY_MS = 86_400_000;

/** Allo must not be asked: what was stored answers. */
const silentAllo = () =>
  new AlloClient({
    apiUrl: 'https://allo',
    apiKey: async () => 'key',
    fetch: async () => {
      throw new Error('Allo was asked: the stored value was not used');
    },
  });

interface StoredShape {
  /** The item's key as defineItem names it. */
  item: string;
  /** The commit that wrote this shape (the first to write it). */
  commit: string;
  /** The whole area as that version left it (several keys when they belong together). */
  stored: Record<string, unknown>;
  /** Today's reading of it, through today's API. */
  read: () => Promise<unknown>;
  expected: unknown;
}

const TOKENS = { accessToken: 'at', refreshToken: 'rt', expiresAt: NOW + 3600_000 };
const STAFF = { id: 42, name: 'Camille Martin', email: 'camille@example.fr' };
const PICKED = { id: 'usr-7', name: 'Camille', email: 'camille@example.fr', how: 'picked' };

const FOLLOW_UP = {
  id: '0b7c3f7e-5d0a-4c1e-9d5e-1f2a3b4c5d6e',
  account: 42,
  e164: '+33612345678',
  record: { type: 'contact', id: 7, name: 'Marie Dupont' },
  title: 'Call back Marie Dupont',
  description: '[Allo follow-up 0b7c3f7e-5d0a-4c1e-9d5e-1f2a3b4c5d6e]',
  dueAt: '2026-12-07T09:00:00+01:00',
  requestedAt: NOW,
  state: 'pending',
  sent: true,
  tries: 1,
  delayed: true,
};

const { delayed: _delayed, ...FOLLOW_UP_SETTLED } = FOLLOW_UP;
/** Done, looked at once for a second task, with the time of its last POST. */
const FOLLOW_UP_DONE = { ...FOLLOW_UP_SETTLED, state: 'done', taskId: 9001, checks: 1, sentAt: NOW + 60_000 };

const SHAPES: StoredShape[] = [
  {
    item: 'local:followUps',
    commit: 'followup-task (Call back creates a Sellsy task)',
    // A row another version wrote that cannot be read is left out; the others are kept.
    stored: { followUps: [FOLLOW_UP, { id: 'x', state: 'odd' }] },
    read: async () => {
      const { followUpsItem, readFollowUps } = await import('@/lib/follow-up/follow-up-items');
      return readFollowUps(await followUpsItem.getValue());
    },
    expected: [FOLLOW_UP],
  },
  {
    item: 'local:followUps',
    commit: "review-followup (the last POST's time kept for the look for a second task)",
    stored: { followUps: [FOLLOW_UP_DONE] },
    read: async () => {
      const { followUpsItem, readFollowUps } = await import('@/lib/follow-up/follow-up-items');
      return readFollowUps(await followUpsItem.getValue());
    },
    expected: [FOLLOW_UP_DONE],
  },
  {
    item: 'local:followUpLabel',
    commit: 'followup-task (Call back creates a Sellsy task)',
    stored: { followUpLabel: { account: 42, id: 12, name: 'Rappel' } },
    read: async () => (await import('@/lib/follow-up/follow-up-items')).followUpLabelItem.getValue(),
    expected: { account: 42, id: 12, name: 'Rappel' },
  },
  {
    item: 'sync:callTarget',
    commit: 'c6c8a0b (options page, before the dialer)',
    stored: { callTarget: 'callto' },
    read: async () => (await import('@/lib/click-to-call-settings')).readUserClickToCallSettings(),
    expected: { callTarget: 'callto', defaultCountry: 'FR' },
  },
  {
    item: 'sync:callTarget',
    commit: '97b609c (the dialer made the target, not chosen)',
    stored: { callTarget: 'allo-dialer' },
    read: async () => {
      const settings = await import('@/lib/settings');
      return { target: await settings.callTargetSetting.getValue(), chosen: await settings.callTargetChosenSetting.getValue() };
    },
    expected: { target: 'allo-dialer', chosen: false },
  },
  {
    item: 'sync:defaultCountry',
    commit: 'c6c8a0b (options page)',
    stored: { defaultCountry: 'BE' },
    read: async () => (await import('@/lib/click-to-call-settings')).readUserClickToCallSettings(),
    expected: { callTarget: 'tel', defaultCountry: 'BE' },
  },
  {
    item: 'sync:createLeads',
    commit: 'c6c8a0b',
    stored: { createLeads: true },
    read: async () => (await import('@/lib/settings')).readCreateLeads(),
    expected: true,
  },
  {
    item: 'sync:backfillDays',
    commit: 'c6c8a0b',
    stored: { backfillDays: 7 },
    read: async () => (await import('@/lib/settings')).loggingStartsAt(NOW),
    expected: NOW - 7 * DAY_MS,
  },
  {
    item: 'sync:callTargetChosen',
    commit: '97b609c',
    stored: { callTarget: 'tel', callTargetChosen: true },
    read: async () => {
      const settings = await import('@/lib/settings');
      return { target: await settings.callTargetSetting.getValue(), chosen: await settings.callTargetChosenSetting.getValue() };
    },
    expected: { target: 'tel', chosen: true },
  },
  {
    item: 'sync:callLogger',
    commit: '462cb40',
    stored: { callLogger: 'allo-integration' },
    read: async () => (await import('@/lib/calls/call-logger')).readCallLogger(),
    expected: 'allo-integration',
  },
  {
    item: 'local:sellsyTokens',
    commit: 'aa78e7d',
    stored: { sellsyTokens: TOKENS },
    read: async () => (await import('@/lib/connection/stores')).tokenStore.get(),
    expected: TOKENS,
  },
  {
    item: 'local:alloApiKey',
    commit: 'aa78e7d',
    stored: { alloApiKey: 'allo-key-1' },
    read: async () => (await import('@/lib/connection/stores')).alloApiKey.getValue(),
    expected: 'allo-key-1',
  },
  {
    item: 'local:sellsyClient',
    commit: '1a31b11',
    stored: { sellsyClient: { clientId: 'client-1', clientSecret: 'secret-1' } },
    read: async () => (await import('@/lib/connection/stores')).userSellsyClient.get(),
    expected: { clientId: 'client-1', clientSecret: 'secret-1' },
  },
  {
    item: 'local:sellsyTokensClient',
    commit: 'issue 26 (the client the tokens were issued to)',
    stored: { sellsyTokensClient: 'client-1' },
    read: async () => (await import('@/lib/connection/stores')).sellsyTokensClient.get(),
    expected: 'client-1',
  },
  {
    item: 'local:callLoggingStart',
    commit: 'issue 26 (when Allo was connected)',
    stored: { callLoggingStart: NOW - 1000 },
    read: async () => (await import('@/lib/calls/poll-state')).loggingStart.get(),
    expected: NOW - 1000,
  },
  {
    item: 'local:managedAlloKeyRefusal',
    commit: '48325c4',
    stored: { managedAlloKeyRefusal: { key: 'admin-key', error: { code: 'invalid-key', message: 'Refused' } } },
    read: async () => (await import('@/lib/connection/stores')).managedAlloKeyRefusal.get(),
    expected: { key: 'admin-key', error: { code: 'invalid-key', message: 'Refused' } },
  },
  {
    item: 'local:sellsyConnection',
    commit: 'aa78e7d (connected)',
    stored: { sellsyConnection: { state: 'connected', staff: STAFF } },
    read: async () => (await import('@/lib/connection/connection-state')).readSellsyConnection(),
    expected: { state: 'connected', staff: STAFF },
  },
  {
    item: 'local:sellsyConnection',
    commit: 'aa78e7d (revoked, the staff kept)',
    stored: { sellsyConnection: { state: 'revoked', staff: STAFF } },
    read: async () => (await import('@/lib/connection/connection-state')).readSellsyConnection(),
    expected: { state: 'revoked', staff: STAFF },
  },
  {
    item: 'local:alloConnection',
    commit: 'aa78e7d',
    stored: { alloConnection: { scopes: ['CALLS_READ', 'USERS_READ'], teamName: 'Équipe' } },
    read: async () => (await import('@/lib/connection/connection-state')).readAlloConnection(),
    expected: { scopes: ['CALLS_READ', 'USERS_READ'], teamName: 'Équipe' },
  },
  {
    item: 'local:alloProblem',
    commit: '689d28a',
    stored: { alloProblem: 'invalid-key' },
    read: async () => (await import('@/lib/connection/connection-state')).alloProblem.getValue(),
    expected: 'invalid-key',
  },
  {
    item: 'local:syncStatus',
    commit: '8cdca3a (no `skipped`)',
    stored: { syncStatus: { running: true, phase: 'full', done: 200, total: 900, cached: 150 } },
    read: async () => (await import('@/lib/sync/status-store')).syncStatus.getValue(),
    expected: { running: true, phase: 'full', done: 200, total: 900, cached: 150 },
  },
  {
    item: 'local:syncStatus',
    commit: 'bb5d352 (`skipped`)',
    stored: { syncStatus: { running: false, lastSuccessAt: NOW - 60_000, skipped: 2, lastError: { code: 'server', message: '500', at: NOW - 120_000 } } },
    read: async () => (await import('@/lib/sync/status-store')).syncStatus.getValue(),
    expected: { running: false, lastSuccessAt: NOW - 60_000, skipped: 2, lastError: { code: 'server', message: '500', at: NOW - 120_000 } },
  },
  {
    item: 'local:alloUser',
    commit: 'c6c8a0b (picked, before accounts were tracked: no callsAccount)',
    stored: { alloUser: PICKED },
    read: async () => (await import('@/lib/calls/whose-calls')).resolveCallsOwner(silentAllo(), STAFF),
    expected: { user: PICKED, account: '42' },
  },
  {
    item: 'local:callsAccount',
    commit: '8ba54eb',
    stored: { callsAccount: '42', alloUser: { ...PICKED, how: 'email' } },
    read: async () => (await import('@/lib/calls/whose-calls')).resolveCallsOwner(silentAllo(), STAFF),
    expected: { user: { ...PICKED, how: 'email' }, account: '42' },
  },
  {
    item: 'local:alloUserMiss',
    commit: '6a06c38',
    stored: { alloUserMiss: { email: 'camille@example.fr', at: NOW - 60_000 } },
    // Within the hour: Allo is not asked again.
    read: async () => (await import('@/lib/calls/whose-calls')).resolveAlloUser(silentAllo(), 'Camille@example.fr', NOW),
    expected: null,
  },
  {
    item: 'local:callsUpdatedAt',
    commit: 'c6c8a0b',
    stored: { callsUpdatedAt: NOW - 5000 },
    read: async () => (await import('@/lib/calls/calls-updated')).callsUpdatedAt.getValue(),
    expected: NOW - 5000,
  },
  {
    item: 'local:skippedCalls',
    commit: '13b6278',
    stored: {
      skippedCalls: [
        { key: 'cll-1', reason: 'no-number', firstSeenAt: NOW - DAY_MS },
        { key: 'cll-2', reason: 'unreadable', firstSeenAt: NOW - 3600_000 },
      ],
    },
    read: async () => (await import('@/lib/calls/skipped-calls')).summarizeSkippedCalls(NOW),
    expected: { count: 2, lastReason: 'unreadable' },
  },
  {
    item: 'local:integrationSeen',
    commit: '462cb40',
    stored: { integrationSeen: { seenAt: NOW - DAY_MS, answered: true } },
    read: async () => (await import('@/lib/calls/call-logger')).integrationSeen.getValue(),
    expected: { seenAt: NOW - DAY_MS, answered: true },
  },
  {
    item: 'local:policyAppHostsSeen',
    commit: 'the commit that gave a dropped policy host its permission back',
    stored: { policyAppHostsSeen: ['eu.sellsy.com'] },
    read: async () => (await import('@/lib/app-hosts/app-hosts')).policyAppHostsSeen.getValue(),
    expected: ['eu.sellsy.com'],
  },
  {
    item: 'local:sellsyAppHosts',
    commit: '16fc65c',
    stored: { sellsyAppHosts: ['eu.sellsy.com', 'crm.example.fr'] },
    read: async () => {
      const { AppHosts } = await import('@/lib/app-hosts/app-hosts');
      const hosts = new AppHosts({
        scripting: {
          getRegisteredContentScripts: async () => [],
          registerContentScripts: async () => {},
          updateContentScripts: async () => {},
          unregisterContentScripts: async () => {},
        },
        permissions: { contains: async () => true, remove: async () => true },
        builtIn: ['www.sellsy.com'],
        managedHosts: async () => [],
      });
      return (await hosts.view()).hosts.map((view) => view.host);
    },
    expected: ['eu.sellsy.com', 'crm.example.fr'],
  },
  {
    item: 'local:alloKeyFacts',
    commit: '896257f',
    stored: { alloKeyFacts: { activeUsers: 90, writePerSecond: 5, usersAssumed: false, readAt: NOW - 3600_000 } },
    read: async () => (await import('@/lib/calls/poll-schedule')).alloKeyFactsItem.getValue(),
    expected: { activeUsers: 90, writePerSecond: 5, usersAssumed: false, readAt: NOW - 3600_000 },
  },
  {
    item: 'local:pollBudget',
    commit: 'd8ff76d',
    stored: {
      pollBudget: { tokens: 1.5, at: NOW - 60_000, lastPollAt: NOW - 120_000, lastUserPollAt: 0, lastCost: 1, slowdown: 1, callSeenAt: 0, phase: 0.25 },
    },
    read: async () => (await import('@/lib/calls/poll-schedule')).pollBudgetItem.getValue(),
    expected: { tokens: 1.5, at: NOW - 60_000, lastPollAt: NOW - 120_000, lastUserPollAt: 0, lastCost: 1, slowdown: 1, callSeenAt: 0, phase: 0.25 },
  },
  {
    item: 'sync:sellsyRecordLinks',
    commit: 'e73821e',
    stored: { sellsyRecordLinks: { appUrl: 'https://eu.sellsy.com', paths: { contact: 'crm/contacts/{id}' } } },
    read: async () => (await (await import('@/lib/app-hosts/record-links')).recordLinksView('https://www.sellsy.com', {})).effective,
    expected: {
      appUrl: 'https://eu.sellsy.com',
      paths: { contact: 'crm/contacts/{id}', client: 'thirds/client/{id}', prospect: 'thirds/prospect/{id}', individual: 'individuals/{id}' },
    },
  },
  {
    item: 'local:dialerMessageShapes',
    commit: '6f176ae',
    stored: { dialerMessageShapes: [{ at: NOW - 1000, type: 'ready', known: true, fields: ['payload.user.name: string(7)'] }] },
    read: async () => (await import('@/lib/dialer/message-shapes')).readMessageShapes(),
    expected: [{ at: NOW - 1000, type: 'ready', known: true, fields: ['payload.user.name: string(7)'] }],
  },
  {
    item: 'local:lastApiErrors',
    commit: '6f176ae',
    stored: { lastApiErrors: { sellsy: { at: NOW - 1000, method: 'GET', path: '/v2/contacts/:id', status: 404, code: 'not-found' } } },
    read: async () => (await import('@/lib/diagnostics/api-errors')).readLastApiErrors(),
    expected: { sellsy: { at: NOW - 1000, method: 'GET', path: '/v2/contacts/:id', status: 404, code: 'not-found' } },
  },
  {
    item: 'sync:missedCallNotifications',
    commit: 'issue 20 item 6 (missed-call notifications, first shape)',
    stored: { missedCallNotifications: false },
    read: async () => (await import('@/lib/settings')).missedCallNotificationsSetting.getValue(),
    expected: false,
  },
  {
    item: 'local:missedCalls',
    commit: 'issue 20 item 6 (missed-call notifications, first shape)',
    stored: {
      missedCalls: [
        { e164: '+33612345678', at: NOW - 60_000, alloId: 'cll-1', dialer: true, notified: true, notedAt: NOW - 50_000 },
        { e164: '+33123456789', at: NOW - 30_000, notified: false, notedAt: NOW - 30_000 },
      ],
    },
    read: async () => (await import('@/lib/missed-calls/missed-call-notifier')).readNotedMissedCalls(),
    expected: [
      { e164: '+33612345678', at: NOW - 60_000, alloId: 'cll-1', dialer: true, notified: true, notedAt: NOW - 50_000 },
      { e164: '+33123456789', at: NOW - 30_000, notified: false, notedAt: NOW - 30_000 },
    ],
  },
  {
    item: 'local:callNotes',
    commit: 'issue 20 item 3 (call notes, first shape)',
    stored: {
      callNotes: [
        {
          id: 'note-1',
          e164: '+33123456789',
          startedAt: NOW - 60_000,
          alloId: 'cll-1',
          text: 'Rappeler lundi',
          outcome: 'busy',
          revision: 2,
          editedAt: NOW - 30_000,
          written: { 'phone-call:11': 1 },
          posting: { 'comment:contact:7': NOW - 20_000 },
          comments: { 'comment:contact:8': 5001 },
          problem: 'forbidden',
        },
        { id: 'note-2', e164: '+33612345678', startedAt: NOW - 10_000, text: '', revision: 0, editedAt: NOW - 10_000, written: {} },
      ],
    },
    read: async () => (await import('@/lib/notes/note-store')).storedNotes().all(),
    expected: [
      {
        id: 'note-1',
        e164: '+33123456789',
        startedAt: NOW - 60_000,
        alloId: 'cll-1',
        text: 'Rappeler lundi',
        outcome: 'busy',
        revision: 2,
        editedAt: NOW - 30_000,
        written: { 'phone-call:11': 1 },
        posting: { 'comment:contact:7': NOW - 20_000 },
        comments: { 'comment:contact:8': 5001 },
        problem: 'forbidden',
      },
      { id: 'note-2', e164: '+33612345678', startedAt: NOW - 10_000, text: '', revision: 0, editedAt: NOW - 10_000, written: {} },
    ],
  },
  {
    item: 'local:callNotes',
    commit: 'review-notes (recheckAt: a Phone Call holding a note is read again once; seenAt: a redial)',
    stored: {
      callNotes: [
        {
          id: 'note-3',
          e164: '+33123456789',
          startedAt: NOW - 60_000,
          seenAt: NOW - 40_000,
          alloId: 'cll-3',
          text: 'Devis',
          revision: 1,
          editedAt: NOW - 30_000,
          written: { 'phone-call:12': 1 },
          recheckAt: { 'phone-call:12': NOW + 60_000 },
        },
      ],
    },
    read: async () => (await import('@/lib/notes/note-store')).storedNotes().all(),
    expected: [
      {
        id: 'note-3',
        e164: '+33123456789',
        startedAt: NOW - 60_000,
        seenAt: NOW - 40_000,
        alloId: 'cll-3',
        text: 'Devis',
        revision: 1,
        editedAt: NOW - 30_000,
        written: { 'phone-call:12': 1 },
        recheckAt: { 'phone-call:12': NOW + 60_000 },
      },
    ],
  },
];

/** Covered by stored-shapes.test.ts (every poll position shape, with its version-2 migration). */
const COVERED_ELSEWHERE = ['local:callPoll'];

/**
 * storage.session is emptied when the extension is updated (and when the browser restarts), so
 * an older version's value never meets today's code.
 */
const SESSION_ONLY = [
  'session:searchFocusAt',
  'session:alloWebAppTabId',
  'session:dialerRequest',
  'session:callBurstUntil',
  'session:microphoneWindow',
  'session:dialerWindow',
  'session:managedEmptySince',
  'session:policyAnsweredAt',
  'session:callBackRequest',
  'session:missedCallsReturned',
];

beforeEach(() => {
  fakeBrowser.reset();
  vi.resetModules();
});

function area(item: string): 'local' | 'sync' {
  const name = item.split(':')[0];
  if (name !== 'local' && name !== 'sync') throw new Error(`No older shape can survive in ${item}`);
  return name;
}

describe('every stored item, in every shape it was written', () => {
  for (const shape of SHAPES) {
    it(`${shape.item} as ${shape.commit} wrote it is read as it was`, async () => {
      // Written by the older version, raw: no version mark, today's module not loaded yet.
      await fakeBrowser.storage[area(shape.item)].set(shape.stored);
      expect(await shape.read()).toEqual(shape.expected);
    });
  }
});

describe('a call target the user chose before the dialer existed', () => {
  for (const target of ['tel', 'callto', 'allo-web'] as const) {
    it(`${target}, chosen in c6c8a0b's options (no callTargetChosen then), is not replaced by the dialer`, async () => {
      await fakeBrowser.storage.sync.set({ callTarget: target });
      const settings = await import('@/lib/settings');
      await settings.dialerSeenReady();
      expect(await settings.callTargetSetting.getValue()).toBe(target);
      expect(await settings.callTargetChosenSetting.getValue()).toBe(true);
    });
  }

  it('none stored (never chosen): the dialer becomes the target once seen ready', async () => {
    const settings = await import('@/lib/settings');
    await settings.dialerSeenReady();
    expect(await settings.callTargetSetting.getValue()).toBe('allo-dialer');
    expect(await settings.callTargetChosenSetting.getValue()).toBe(false);
  });

  it('the dialer made the target by 97b609c and later (not chosen): the user may still be asked', async () => {
    await fakeBrowser.storage.sync.set({ callTarget: 'allo-dialer' });
    const settings = await import('@/lib/settings');
    await settings.dialerSeenReady();
    expect(await settings.callTargetSetting.getValue()).toBe('allo-dialer');
    expect(await settings.callTargetChosenSetting.getValue()).toBe(false);
  });
});

const ROOT = join(import.meta.dirname, '../..');
const SOURCE_DIRS = ['lib', 'entrypoints', 'components'];

interface ItemDefinition {
  file: string;
  key: string;
  call: string;
}

/** Each `defineItem(…)` call in the source, whole (its options may span lines). */
function findItemDefinitions(file: string, text: string): ItemDefinition[] {
  const found: ItemDefinition[] = [];
  const start = /\bdefineItem\s*(?:<[^(]*?>)?\s*\(/g;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    let depth = 1;
    let end = match.index + match[0].length;
    while (end < text.length && depth > 0) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')') depth--;
      end++;
    }
    const call = text.slice(match.index, end);
    const key = /\(\s*['"`]([^'"`]+)['"`]/.exec(call)?.[1] ?? '?';
    found.push({ file, key, call });
  }
  return found;
}

function sources(): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name))),
  );
}

const definitions = sources().flatMap((file) => findItemDefinitions(file, readFileSync(join(ROOT, file), 'utf8')));
const VERSION = /\bversion\s*:\s*[1-9]\d*\b/;

describe('every storage item declares its version', () => {
  it('finds the items it checks', () => {
    expect(definitions.length).toBeGreaterThan(20);
    expect(definitions.map((definition) => definition.key)).toContain('local:callPoll');
  });

  it('recognises a call with and without a version, on one line or several', () => {
    const samples = findItemDefinitions(
      'sample.ts',
      [
        "const a = storage.defineItem<number>('local:a', { fallback: 0 });",
        "const b = storage.defineItem<{ x: string } | null>('local:b', {\n  fallback: null,\n  version: 2,\n  migrations: { 2: (old: unknown) => f(old) },\n});",
        "const c = storage.defineItem('sync:c', { fallback: (() => 1)(), version: 1 });",
      ].join('\n'),
    );
    expect(samples.map(({ key, call }) => [key, VERSION.test(call)])).toEqual([
      ['local:a', false],
      ['local:b', true],
      ['sync:c', true],
    ]);
  });

  it('each defineItem names a version (bump it with a migration when the shape changes)', () => {
    expect(definitions.filter(({ call }) => !VERSION.test(call)).map(({ file, key }) => `${file}: ${key}`)).toEqual([]);
  });

  it('each item has its shapes in this file or in stored-shapes.test.ts, or lives in storage.session', () => {
    const covered = new Set([...SHAPES.map((shape) => shape.item), ...COVERED_ELSEWHERE, ...SESSION_ONLY]);
    expect(definitions.filter(({ key }) => !covered.has(key)).map(({ file, key }) => `${file}: ${key}`)).toEqual([]);
    expect(SESSION_ONLY.every((key) => key.startsWith('session:'))).toBe(true);
  });
});

describe('what the rule relies on in WXT', () => {
  it('a value stored without a version mark is version 1: a migration to 2 runs on it, and marks it', async () => {
    await fakeBrowser.storage.local.set({ probe: { old: true } });
    const { storage } = await import('wxt/utils/storage');
    const probe = storage.defineItem<{ now: boolean } | null>('local:probe', {
      fallback: null,
      version: 2,
      migrations: { 2: (old: { old: boolean }) => ({ now: old.old }) },
    });
    expect(await probe.getValue()).toEqual({ now: true });
    expect(await fakeBrowser.storage.local.get('probe$')).toEqual({ probe$: { v: 2 } });
  });

  it('version 1 without migrations reads an unmarked value as it is, and writes no mark', async () => {
    await fakeBrowser.storage.local.set({ probe: ['kept'] });
    const { storage } = await import('wxt/utils/storage');
    const probe = storage.defineItem<string[]>('local:probe', { fallback: [], version: 1 });
    expect(await probe.getValue()).toEqual(['kept']);
    await probe.setValue(['kept', 'added']);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ probe: ['kept', 'added'] });
  });
});
