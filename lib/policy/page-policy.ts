import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/min';
import * as v from 'valibot';
import { CALL_TARGETS, type CallTarget } from '../allo/call-link';
import type { ManagedSettings } from './managed-settings';

/**
 * What of the administrator's policy Sellsy's pages may know: how calls open and the default
 * country. The policy itself also holds the Allo key and the Sellsy client secret, so the
 * background closes `storage.managed` to content scripts and hands them only this.
 */
export interface PagePolicy {
  callTarget?: CallTarget;
  defaultCountry?: CountryCode;
}

/** The non-secret part of the policy, and nothing else. */
export function pagePolicyOf({ callTarget, defaultCountry }: ManagedSettings): PagePolicy {
  return { ...(callTarget ? { callTarget } : {}), ...(defaultCountry ? { defaultCountry } : {}) };
}

export const CallTargetSchema = v.picklist(CALL_TARGETS);
export const CountrySchema = v.pipe(
  v.string(),
  v.check((code) => isSupportedCountry(code)),
  v.transform((code) => code as CountryCode),
);
const PagePolicySchema = v.object({ callTarget: v.optional(CallTargetSchema), defaultCountry: v.optional(CountrySchema) });

/** Read on the page's side: an answer that does not fit counts as no policy, never a crash. */
export function parsePagePolicy(raw: unknown): PagePolicy {
  const parsed = v.safeParse(PagePolicySchema, raw);
  if (parsed.success) return parsed.output;
  console.warn('Allo for Sellsy: the administrator’s settings for this page could not be read.');
  return {};
}

/** The few tab calls a broadcast needs (browser.tabs). */
export interface PolicyTabs {
  query(filter: Record<string, never>): Promise<Array<{ id?: number }>>;
}

/**
 * Tells every open tab's content script the new page policy, so an open Sellsy page follows a
 * policy change without a reload. A tab without our content script cannot answer: that is
 * expected and ignored.
 */
export async function broadcastPagePolicy(tabs: PolicyTabs, send: (tabId: number, policy: PagePolicy) => Promise<unknown>, policy: PagePolicy): Promise<void> {
  const open = await tabs.query({});
  await Promise.all(open.map((tab) => (tab.id === undefined ? undefined : send(tab.id, policy).catch(() => undefined))));
}
