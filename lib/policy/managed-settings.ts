import { browser } from '#imports';
import type { CountryCode } from 'libphonenumber-js/min';
import * as v from 'valibot';
import type { CallTarget } from '../allo/call-link';
import { CallTargetSchema, CountrySchema } from './page-policy';

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
} satisfies { [K in keyof ManagedSettings]-?: v.GenericSchema<unknown, NonNullable<ManagedSettings[K]>> };

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
    return parseManagedSettings(await browser.storage.managed.get(null));
  } catch {
    // No managed storage (a browser without policy support, or the test double): nothing is managed.
    return {};
  }
}

/** Calls `listener` whenever the administrator's policy changes. */
export function watchManagedSettings(listener: () => void): () => void {
  const onChanged = (_changes: unknown, area: string) => {
    if (area === 'managed') listener();
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}

/** The administrator's Sellsy API client, when the policy sets one. */
export async function managedSellsyClient(): Promise<{ clientId: string; clientSecret?: string } | undefined> {
  const { sellsyClientId, sellsyClientSecret } = await readManagedSettings();
  if (!sellsyClientId) return undefined;
  return sellsyClientSecret ? { clientId: sellsyClientId, clientSecret: sellsyClientSecret } : { clientId: sellsyClientId };
}
