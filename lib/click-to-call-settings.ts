import { storage } from '#imports';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/min';
import { DEFAULT_CALL_TARGET, isCallTarget, type CallTarget } from './allo/call-link';
import type { PagePolicy } from './policy/page-policy';

// The two settings Sellsy's pages need. They hold nothing secret and live in `sync`, so the
// content script may read them and they follow the user to another browser. This file is
// bundled into the content script: it must never read the policy (storage.managed), whose
// values reach the page only through the background (lib/policy/page-policy.ts).

export const callTargetSetting = storage.defineItem<CallTarget>('sync:callTarget', {
  fallback: DEFAULT_CALL_TARGET,
});

export const defaultCountrySetting = storage.defineItem<CountryCode>('sync:defaultCountry', {
  fallback: 'FR',
});

export interface ClickToCallSettings {
  callTarget: CallTarget;
  defaultCountry: CountryCode;
}

/** The user's own values, with anything unexpected (another version, a hand edit) replaced by the default. */
export async function readUserClickToCallSettings(): Promise<ClickToCallSettings> {
  const [callTarget, defaultCountry] = await Promise.all([callTargetSetting.getValue(), defaultCountrySetting.getValue()]);
  return {
    callTarget: isCallTarget(callTarget) ? callTarget : DEFAULT_CALL_TARGET,
    defaultCountry: isSupportedCountry(defaultCountry) ? defaultCountry : 'FR',
  };
}

/** The administrator's values win. */
export function withManaged(settings: ClickToCallSettings, managed: PagePolicy): ClickToCallSettings {
  return { callTarget: managed.callTarget ?? settings.callTarget, defaultCountry: managed.defaultCountry ?? settings.defaultCountry };
}
