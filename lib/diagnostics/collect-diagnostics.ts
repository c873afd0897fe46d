import { browser } from '#imports';
import { readAlloConnection, readSellsyConnection } from '../connection/connection-state';
import { readMessageShapes } from '../dialer/message-shapes';
import { readMicrophoneState } from '../microphone/microphone-state';
import { readManagedSettings } from '../policy/managed-settings';
import { backfillDaysSetting, callTargetChosenSetting, clampBackfillDays, readClickToCallSettings, readCreateLeads } from '../settings';
import { readLastApiErrors } from './api-errors';
import { type BrandVersion, buildDiagnostics } from './diagnostics';

/** The part of `navigator.userAgentData` read here (not in every browser, nor in TypeScript's DOM types). */
interface UserAgentData {
  getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: BrandVersion[] }>;
}

async function fullVersionList(): Promise<BrandVersion[]> {
  const data = (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData;
  const values = await data?.getHighEntropyValues(['fullVersionList']).catch(() => undefined);
  return Array.isArray(values?.fullVersionList)
    ? values.fullVersionList.filter((entry) => typeof entry?.brand === 'string' && typeof entry.version === 'string')
    : [];
}

/**
 * Gathers the report on an extension page (the options): everything it reads is open to the
 * extension's own pages, and the Sellsy client's source is asked of the background.
 */
export async function collectDiagnostics(sellsyClientSource: () => Promise<string>): Promise<string> {
  const [clickToCall, callTargetChosen, createLeads, backfillDays, managed, sellsy, allo, microphone, shapes, apiErrors, sellsyClient, versions] =
    await Promise.all([
      readClickToCallSettings(),
      callTargetChosenSetting.getValue(),
      readCreateLeads(),
      backfillDaysSetting.getValue(),
      readManagedSettings(),
      readSellsyConnection(),
      readAlloConnection(),
      readMicrophoneState(),
      readMessageShapes(),
      readLastApiErrors(),
      sellsyClientSource().catch(() => 'unknown'),
      fullVersionList(),
    ]);
  return buildDiagnostics({
    extensionVersion: browser.runtime.getManifest().version,
    userAgent: navigator.userAgent,
    fullVersionList: versions,
    settings: { ...clickToCall, callTargetChosen: callTargetChosen === true, createLeads, backfillDays: clampBackfillDays(backfillDays) },
    managed: Object.keys(managed) as Array<keyof typeof managed>,
    sellsyClient,
    connections: { sellsy: sellsy?.state ?? 'not connected', allo: allo ? 'connected' : 'not connected' },
    microphone,
    shapes,
    apiErrors,
    now: Date.now(),
  });
}
