import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AlloCallItem } from '@/lib/allo/api-client';
import { createBackgroundApp } from '@/lib/background/create-app';
import { readConfig } from '@/lib/config';
import type { NumberRecords } from '@/lib/dialer/number-records';
import { createMissedCallNotifier, type MissedCallWords, type NotificationsApi } from '@/lib/missed-calls/missed-call-notifier';
import { missedCallNotificationsSetting } from '@/lib/settings';
import { noAppHosts } from './no-app-hosts';

/** Shared by the missed-call tests (tests/unit/review-missed-*.test.ts). */
export const NOW = Date.parse('2026-12-06T10:00:00Z');
export const MIN = 60_000;
export const MARIE = '+33612345678';
export const PAUL = '+33698765400';
const USER = { id: 'usr-1', name: 'Camille Martin', email: 'camille@example.fr' };

export const WORDS: MissedCallWords = {
  title: (voicemail) => (voicemail ? 'Missed call, voicemail left' : 'Missed call'),
  caller: (name, others) => (others > 0 ? `${name} and ${others} other${others > 1 ? 's' : ''}` : name),
  notInSellsy: () => 'Not in Sellsy',
  callBack: () => 'Call back',
  openInSellsy: () => 'Open in Sellsy',
};

export const recordsOf = (name: string, companyName?: string): NumberRecords & { more: number } => ({
  records: [{ key: 'contact:1', kind: 'contact', name, ...(companyName ? { companyName } : {}), url: 'https://www.sellsy.com/peoples/1' }],
  complete: true,
  more: 0,
});

/** The notifier as the background builds it, on WXT's fake browser; the window in front is 4. */
export function missedCallNotifier(
  options: { records?: (e164: string) => Promise<NumberRecords & { more: number }>; now?: () => number; notifications?: NotificationsApi } = {},
) {
  return createMissedCallNotifier({
    notifications: options.notifications ?? fakeBrowser.notifications,
    iconUrl: 'chrome-extension://test/icon/128.png',
    words: WORDS,
    enabled: async () => (await missedCallNotificationsSetting.getValue()) !== false,
    records: options.records ?? (async () => recordsOf('Marie Dupont', 'Acme SAS')),
    country: async () => 'FR',
    frontWindow: async () => 4,
    now: options.now ?? (() => NOW),
  });
}

/** What the fake browser shows: notification id → its options. */
export const shownNotifications = () => fakeBrowser.notifications.getAllCreateOptions();

/** A call of the user as Allo lists it: by default, Marie's incoming call 5 minutes ago, not answered. */
export const alloCall = (id: string, fields: Partial<AlloCallItem> = {}): AlloCallItem => ({
  id,
  type: 'CALL',
  direction: 'INBOUND',
  allo_number: '+33159000000',
  contact_number: MARIE,
  contacts: [],
  user: USER,
  date: new Date(NOW - 5 * MIN).toISOString(),
  duration: 0,
  result: null,
  recording_url: null,
  summary: null,
  ...fields,
});

export const iso = (ms: number) => new Date(ms).toISOString();

/** The background on WXT's fake browser, with the side panel's `open` given. */
export function missedCallsBackground(open: (options: { windowId: number } | { tabId: number }) => Promise<void> = async () => undefined) {
  return createBackgroundApp({
    config: readConfig({}),
    identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
    storageClosed: Promise.resolve(true),
    action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
    i18n: { getMessage: (key) => key },
    sidePanel: { open },
    notifications: fakeBrowser.notifications,
    ...noAppHosts(),
  });
}
