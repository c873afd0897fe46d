import { plainLine } from '../text/plain-line';
import { storage } from '#imports';
import type { CountryCode } from 'libphonenumber-js/min';
import * as v from 'valibot';
import type { AlloCallItem } from '../allo/api-client';
import type { NumberRecords } from '../dialer/number-records';
import { oneWriteAtATime } from '../one-write-at-a-time';
import { toE164 } from '../phone/find-numbers';
import { formatNumber } from '../phone/format-number';
import {
  decideMissedCall,
  isMissedInAllo,
  type MissedCallSeen,
  type NotedMissedCall,
  notificationIdOf,
  parseNotificationId,
  SAME_CALL_MS,
  shownCallOf,
  TOO_OLD_MS,
} from './missed-call-rule';

/** The words of a notification, in the messages' language (the entry point gives them). */
export interface MissedCallWords {
  title(voicemail: boolean): string;
  /** `name` (with its company) and how many other records have the number. */
  caller(name: string, others: number): string;
  notInSellsy(): string;
  callBack(): string;
  openInSellsy(): string;
}

/** The part of `chrome.notifications` used to show them, and to take back those no longer news. */
export interface NotificationsApi {
  create(id: string, options: NotificationOptions): Promise<string>;
  /** The ids of the extension's notifications still shown. */
  getAll(): Promise<Record<string, unknown>>;
  clear(id: string): Promise<unknown>;
}

export interface NotificationOptions {
  type: 'basic';
  iconUrl: string;
  title: string;
  message: string;
  contextMessage?: string;
  buttons?: { title: string }[];
  eventTime?: number;
  requireInteraction?: boolean;
  priority?: number;
}

export interface MissedCallNotifierDeps {
  notifications: NotificationsApi;
  iconUrl: string;
  words: MissedCallWords;
  /** The setting (on by default). */
  enabled(): Promise<boolean>;
  /** Who has the number in the cache. */
  records(e164: string): Promise<NumberRecords & { more: number }>;
  country(): Promise<CountryCode>;
  /** The browser window in front, where Call back opens the side panel. */
  frontWindow(): Promise<number | undefined>;
  now?: () => number;
}

export interface MissedCallNotifier {
  /** The calls a poll of Allo read (the user's, any kind): the unanswered incoming ones count. */
  fromAllo(items: readonly AlloCallItem[]): Promise<void>;
  /** Allo's dialer said a call from this number was not answered. */
  fromDialer(e164: string): Promise<void>;
  /**
   * The person is calling this number (the dialer said so): its missed calls until now are
   * returned. Those shown go, and one Allo lists later (once this call has ended) is not shown.
   */
  calledBack(e164: string): Promise<void>;
  /** Takes back every missed call's notification still shown (the option was turned off). */
  clearShown(): Promise<void>;
}

const E164 = /^\+\d{8,15}$/;
const Noted = v.object({
  e164: v.pipe(v.string(), v.regex(E164)),
  at: v.pipe(v.number(), v.finite()),
  alloId: v.optional(v.pipe(v.string(), v.maxLength(200))),
  dialer: v.optional(v.boolean()),
  notified: v.boolean(),
  notedAt: v.pipe(v.number(), v.finite()),
});

/**
 * The calls already notified, or seen while notifications were off, for a day: what keeps one
 * call to one notification across both sources and across restarts of the service worker.
 */
export const missedCallsItem = storage.defineItem<NotedMissedCall[]>('local:missedCalls', { fallback: [], version: 1 });

const Returned = v.object({ e164: v.pipe(v.string(), v.regex(E164)), at: v.pipe(v.number(), v.finite()) });
type Returned = v.InferOutput<typeof Returned>;
/** A call back is remembered this long: a missed call older than an hour is not shown anyway. */
const RETURNED_KEEP_MS = TOO_OLD_MS + SAME_CALL_MS;
const MAX_RETURNED = 100;

/**
 * The numbers the person called from the dialer in the last hour, and when: Allo lists a call
 * only once it has ended, so a poll during a call back would otherwise show the call it returns.
 * For this browser session only (nothing of it matters after an hour).
 */
export const returnedCallsItem = storage.defineItem<Returned[]>('session:missedCallsReturned', { fallback: [], version: 1 });

async function readReturned(now: number): Promise<Returned[]> {
  const stored = await returnedCallsItem.getValue();
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry) => {
    const parsed = v.safeParse(Returned, entry);
    return parsed.success && parsed.output.at > now - RETURNED_KEEP_MS && parsed.output.at <= now + RETURNED_KEEP_MS ? [parsed.output] : [];
  });
}

/** Characters of a name or a company's name shown at most, so the count after them stays in sight. */
export const MAX_NAME_CHARS = 60;

/**
 * A name from the cache, as a notification shows it: one plain line, cut with "…". Names are
 * typed by anyone in the Sellsy account, or come from a web form's lead: one must not forge a
 * line of the notification, turn the rest of it around, or push the count out of sight.
 */
export function plainName(text: string): string {
  const flat = plainLine(text);
  const chars = Array.from(flat);
  if (chars.length <= MAX_NAME_CHARS) return flat;
  const cut = chars.slice(0, MAX_NAME_CHARS - 1).join('');
  return `${cut.trimEnd()}…`;
}

/** The noted calls; a stored value of another shape counts as none, an odd entry is left out. */
export async function readNotedMissedCalls(): Promise<NotedMissedCall[]> {
  const stored = await missedCallsItem.getValue();
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry) => {
    const parsed = v.safeParse(Noted, entry);
    return parsed.success ? [parsed.output] : [];
  });
}

export function createMissedCallNotifier(deps: MissedCallNotifierDeps): MissedCallNotifier {
  const now = deps.now ?? Date.now;
  const oneWrite = oneWriteAtATime();

  const show = async (call: NotedMissedCall & { voicemail?: boolean }) => {
    const [found, country, windowId] = await Promise.all([
      deps.records(call.e164).catch(() => undefined),
      deps.country().catch((): CountryCode => 'FR'),
      deps.frontWindow().catch(() => undefined),
    ]);
    const number = formatNumber(call.e164, country);
    const first = found?.records[0];
    const name = first ? plainName(first.name) : '';
    const company = first?.companyName ? plainName(first.companyName) : '';
    const named = name ? (company ? `${name} (${company})` : name) : undefined;
    const others = found ? found.records.length - 1 + found.more : 0;
    await deps.notifications.create(notificationIdOf(call, windowId), {
      type: 'basic',
      iconUrl: deps.iconUrl,
      title: deps.words.title(call.voicemail === true),
      message: named ? deps.words.caller(named, others) : number,
      // "Not in Sellsy" only once a first sync has finished: before it, nobody can say.
      ...(named ? { contextMessage: number } : !first && found?.complete ? { contextMessage: deps.words.notInSellsy() } : {}),
      buttons: first ? [{ title: deps.words.callBack() }, { title: deps.words.openInSellsy() }] : [{ title: deps.words.callBack() }],
      eventTime: call.at,
      // A missed call stays until the person saw it, not a few seconds.
      requireInteraction: true,
      priority: 2,
    });
  };

  /** Takes back the notifications of calls returned since (a call back, the caller's next call taken). */
  const settle = async (returned: ReadonlyMap<string, number>, noted: readonly NotedMissedCall[]) => {
    if (returned.size === 0) return;
    for (const id of Object.keys(await deps.notifications.getAll())) {
      const call = shownCallOf(id, noted);
      const returnedAt = call ? returned.get(call.e164) : undefined;
      // A call no longer noted is over a day old: any call back is after it.
      if (call && returnedAt !== undefined && (call.at === undefined || call.at < returnedAt)) await deps.notifications.clear(id);
    }
  };

  /** `returned`: per number, when this poll saw the person's last call with it that was not missed. */
  const note = (seen: MissedCallSeen[], returnedNow: ReadonlyMap<string, number> = new Map()) =>
    oneWrite(async () => {
      if (seen.length === 0 && returnedNow.size === 0) return;
      const enabled = await deps.enabled();
      const returned = new Map(returnedNow);
      for (const call of await readReturned(now())) returned.set(call.e164, Math.max(call.at, returned.get(call.e164) ?? call.at));
      let noted = await readNotedMissedCalls();
      const news: Array<NotedMissedCall & { voicemail?: boolean }> = [];
      for (const call of seen) {
        // Returned already (called back, or the caller's next call taken): noted, not news.
        const answered = (returned.get(call.e164) ?? Number.NEGATIVE_INFINITY) > call.at;
        const decision = decideMissedCall(noted, call, now(), enabled && !answered);
        noted = decision.noted;
        if (decision.notify) news.push(decision.notify);
      }
      // Noted before it is shown: a worker stopped in between loses a notification, never
      // shows one twice.
      if (seen.length > 0) await missedCallsItem.setValue(noted);
      for (const call of news) {
        // One Chrome refuses must not cost the others: they are noted, so never shown later.
        await show(call).catch((error: unknown) => console.error('Allo for Sellsy: a missed call could not be notified', error));
      }
      await settle(returned, noted);
    }).catch((error: unknown) => console.error('Allo for Sellsy: a missed call could not be notified', error));

  return {
    fromAllo: (items) => {
      const seen: MissedCallSeen[] = [];
      const returned = new Map<string, number>();
      for (const item of items) {
        const e164 = E164.test(item.contact_number) ? item.contact_number : toE164(item.contact_number);
        if (!e164) continue;
        const at = Date.parse(item.date);
        if (isMissedInAllo(item)) {
          seen.push({ source: 'allo', e164, at, alloId: item.id, ...(item.result === 'VOICEMAIL' ? { voicemail: true } : {}) });
        } else returned.set(e164, Math.max(at, returned.get(e164) ?? at));
      }
      return note(seen, returned);
    },
    fromDialer: (e164) => note([{ source: 'dialer', e164, at: now() }]),
    calledBack: (e164) =>
      oneWrite(async () => {
        const at = now();
        const kept = (await readReturned(at)).filter((call) => call.e164 !== e164);
        await returnedCallsItem.setValue([...kept, { e164, at }].slice(-MAX_RETURNED));
        await settle(new Map([[e164, at]]), await readNotedMissedCalls());
      }).catch((error: unknown) => console.error('Allo for Sellsy: a returned call’s notification could not be taken back', error)),
    clearShown: () =>
      oneWrite(async () => {
        for (const id of Object.keys(await deps.notifications.getAll())) {
          if (parseNotificationId(id)) await deps.notifications.clear(id);
        }
      }).catch((error: unknown) => console.error('Allo for Sellsy: the missed calls’ notifications could not be taken back', error)),
  };
}
