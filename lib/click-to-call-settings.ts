import { storage } from '#imports';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/min';
import { DEFAULT_CALL_TARGET, isCallTarget, type CallTarget } from './allo/call-link';
import type { PagePolicy } from './policy/page-policy';

// The settings Sellsy's pages need, and whether the user picked the call target (which the
// target's upgrade writes). They hold nothing secret and live in `sync`, so the content script
// may read them and they follow the user to another browser. This file is
// bundled into the content script: it must never read the policy (storage.managed), whose
// values reach the page only through the background (lib/policy/page-policy.ts).

/**
 * Whether the user picked the call target. Until then the dialer becomes the target once it
 * has been seen ready; a choice the user made is never overwritten.
 */
export const callTargetChosenSetting = storage.defineItem<boolean>('sync:callTargetChosen', { fallback: false, version: 1 });

/** Version 2: a target the user picked before `callTargetChosen` existed is marked chosen. */
export const callTargetSetting = storage.defineItem<CallTarget>('sync:callTarget', {
  fallback: DEFAULT_CALL_TARGET,
  version: 2,
  migrations: { 2: markPickedTarget },
});

/**
 * Up to 97b609c (0.1.0 included) only the options page wrote `callTarget`, when the user picked
 * one, and `callTargetChosen` did not exist. Since then the extension itself writes only
 * `allo-dialer` (the dialer seen ready). So a stored target other than the dialer is the user's
 * pick: unmarked, the dialer would replace it the first time it is ready.
 */
async function markPickedTarget(target: unknown): Promise<unknown> {
  if (isCallTarget(target) && target !== 'allo-dialer') await callTargetChosenSetting.setValue(true);
  return target;
}

export const defaultCountrySetting = storage.defineItem<CountryCode>('sync:defaultCountry', {
  fallback: 'FR',
  version: 1,
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
