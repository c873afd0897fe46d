import { storage } from '#imports';
import { readManagedSettings } from '../policy/managed-settings';
import type { CallLogger } from './call-logger-choice';

/**
 * Who logs the user's calls (`lib/calls/call-logger-choice.ts`). With Allo's integration, the
 * extension writes no Phone Call and does not read Allo for logging: it is there for calling and
 * names. The administrator's value wins.
 */
export const callLoggerSetting = storage.defineItem<CallLogger>('sync:callLogger', { fallback: 'extension', version: 1 });

export async function readCallLogger(): Promise<CallLogger> {
  const managed = (await readManagedSettings()).callLogger;
  if (managed) return managed;
  return (await callLoggerSetting.getValue()) === 'allo-integration' ? 'allo-integration' : 'extension';
}

/**
 * Allo's integration was seen logging one of the user's calls for sure (its Phone Call names the
 * call) while the extension logs them too: the popup offers, once, to let the integration log
 * them alone. `answered`: the user chose either way; not offered again.
 */
export interface IntegrationSeen {
  seenAt: number;
  answered?: boolean;
}
export const integrationSeen = storage.defineItem<IntegrationSeen | null>('local:integrationSeen', { fallback: null, version: 1 });

/** The pipeline adopted or settled on a Phone Call of the integration that names the call. */
export async function noteIntegrationLogs(now = Date.now()): Promise<void> {
  const seen = await integrationSeen.getValue();
  if (!seen || typeof seen.seenAt !== 'number') await integrationSeen.setValue({ seenAt: now });
}

/** The user answered the offer: with `switchTo`, the integration logs the calls from now on. */
export async function answerIntegrationOffer(switchTo: boolean, now = Date.now()): Promise<void> {
  if (switchTo) await callLoggerSetting.setValue('allo-integration');
  const seen = await integrationSeen.getValue();
  await integrationSeen.setValue({ seenAt: seen?.seenAt ?? now, answered: true });
}
