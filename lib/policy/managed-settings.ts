import { browser } from '#imports';
import type { CountryCode } from 'libphonenumber-js/min';
import * as v from 'valibot';
import type { CallTarget } from '../allo/call-link';
import { checkAppHost } from '../app-hosts/host-rules';
import { CallTargetSchema, CountrySchema } from './page-policy';
import { CALL_LOGGERS, type CallLogger } from '../calls/call-logger-choice';
import { isRecordPath, RECORD_PATHS, type RecordPaths } from '../sellsy/record-url';

/**
 * What a company's administrator set by Chrome policy (`3rdparty.extensions.<id>`, checked by
 * Chrome against public/managed-schema.json). A set value wins over the user's and is shown as
 * "Set by your administrator". Each value is checked again here: one that does not fit is left
 * out (and said in the console), never a crash, and the others still apply.
 */
export interface ManagedSettings {
  sellsyClientId?: string;
  sellsyClientSecret?: string;
  alloApiKey?: string;
  createLeads?: boolean;
  callTarget?: CallTarget;
  defaultCountry?: CountryCode;
  backfillDays?: number;
  /** Log the calls of the Allo user with the Sellsy user's e-mail; no one picks another. */
  matchAlloUserByEmail?: boolean;
  /** Who logs calls in Sellsy: this extension, or Allo's own Sellsy integration. */
  callLogger?: CallLogger;
  /** A notification for each incoming call not answered (lib/missed-calls/). */
  missedCallNotifications?: boolean;
  /** More hosts where Sellsy's app runs (the content script is registered there too). */
  sellsyAppHosts?: string[];
  /** Where record links point: Sellsy's app, https, no trailing slash. */
  sellsyAppUrl?: string;
  /** The app's record paths, each with `{id}` (`peoples/{id}`): those set replace the defaults. */
  sellsyRecordPaths?: Partial<RecordPaths>;
}

const Text = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(1000));
const FIELDS = {
  sellsyClientId: Text,
  sellsyClientSecret: Text,
  alloApiKey: Text,
  createLeads: v.boolean(),
  callTarget: CallTargetSchema,
  defaultCountry: CountrySchema,
  backfillDays: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(30)),
  matchAlloUserByEmail: v.boolean(),
  callLogger: v.picklist(CALL_LOGGERS),
  missedCallNotifications: v.boolean(),
  // One junk item (a number, a null) leaves the others usable, as with the record paths.
  sellsyAppHosts: v.pipe(
    v.array(v.unknown()),
    v.transform((list) => [...new Set(list.flatMap(appHostOf))]),
  ),
  sellsyAppUrl: v.pipe(
    v.string(),
    v.check((input) => appUrlOf(input) !== undefined),
    v.transform((input) => appUrlOf(input) ?? input),
  ),
  sellsyRecordPaths: v.pipe(
    v.record(v.string(), v.unknown()),
    v.transform((paths) => recordPathsOf(paths, 'policy')),
  ),
} satisfies { [K in keyof ManagedSettings]-?: v.GenericSchema<unknown, NonNullable<ManagedSettings[K]>> };

/**
 * The record paths among `input` that can be used (`isRecordPath`); the others are left out and
 * said in the console, so one mistyped path does not throw away the rest.
 */
export function recordPathsOf(input: Record<string, unknown>, from: string): Partial<RecordPaths> {
  const paths: Partial<RecordPaths> = {};
  for (const key of RECORD_PATHS) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value === 'string' && isRecordPath(value.trim())) paths[key] = value.trim();
    else console.warn(`Allo for Sellsy: the ${from}'s record path for ${key} is not usable and is ignored.`);
  }
  return paths;
}

/** One of the policy's app hosts, or nothing (said in the console) when the host rules refuse it. */
function appHostOf(input: unknown): string[] {
  const check = typeof input === 'string' ? checkAppHost(input) : ({ ok: false, reason: 'invalid' } as const);
  if (check.ok) return [check.host];
  console.warn(`Allo for Sellsy: the policy's app host ${JSON.stringify(input)} is not usable (${check.reason}) and is ignored.`);
  return [];
}

/** An https address of Sellsy's app (an allowed host), without its query, hash or trailing slash. */
export function appUrlOf(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return undefined;
  }
  if (!checkAppHost(url.href).ok || url.search !== '' || url.hash !== '') return undefined;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The policy's values that fit; {} where there is no policy (or no managed storage at all). */
export function parseManagedSettings(raw: unknown): ManagedSettings {
  if (typeof raw !== 'object' || raw === null) return {};
  const settings: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(FIELDS)) {
    const value = (raw as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const parsed = v.safeParse(schema as v.GenericSchema, value);
    if (parsed.success) settings[name] = parsed.output;
    else console.warn(`Allo for Sellsy: the policy's ${name} is not usable and is ignored.`);
  }
  return settings as ManagedSettings;
}

export async function readManagedSettings(): Promise<ManagedSettings> {
  try {
    return await readManagedSettingsOrFail();
  } catch {
    // No managed storage (a browser without policy support, or the test double): nothing is managed.
    return {};
  }
}

/**
 * The same, but a read that fails says so instead of answering "no policy": for what must not
 * be undone on a moment's failure (an added host's permission, given back when the policy drops it).
 */
export async function readManagedSettingsOrFail(): Promise<ManagedSettings> {
  return parseManagedSettings(await browser.storage.managed.get(null));
}

/** Calls `listener` whenever the administrator's policy changes. */
export function watchManagedSettings(listener: () => void): () => void {
  const onChanged = (_changes: unknown, area: string) => {
    if (area === 'managed') listener();
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}

/**
 * The administrator's Sellsy API client, when the policy sets one. Throws when the policy cannot
 * be read: undone on such a moment, a Sellsy connection would be lost for nothing (the caller
 * that only needs a client takes none).
 */
export async function managedSellsyClient(): Promise<{ clientId: string; clientSecret?: string } | undefined> {
  const { sellsyClientId, sellsyClientSecret } = await readManagedSettingsOrFail();
  if (!sellsyClientId) return undefined;
  return sellsyClientSecret ? { clientId: sellsyClientId, clientSecret: sellsyClientSecret } : { clientId: sellsyClientId };
}
