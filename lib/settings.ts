import { storage } from '#imports';
import type { CallTarget } from './allo/call-link';
import { type ClickToCallSettings, callTargetChosenSetting, callTargetSetting, readUserClickToCallSettings, withManaged } from './click-to-call-settings';
import { readManagedSettings } from './policy/managed-settings';

// Settings hold nothing secret and live in `sync`, so they follow the user to another browser.
// The ones the content script reads live in click-to-call-settings.ts, which it bundles, with
// `callTargetChosen`, which the call target's upgrade writes.
export { callTargetChosenSetting, callTargetSetting, defaultCountrySetting } from './click-to-call-settings';

/** The user picks a call target (options, first-run guide). */
export async function chooseCallTarget(target: CallTarget): Promise<void> {
  await Promise.all([callTargetSetting.setValue(target), callTargetChosenSetting.setValue(true)]);
}

/** The dialer answered `ready`: make it the target, unless the user chose one. */
export async function dialerSeenReady(): Promise<void> {
  // The target first: reading it waits for its upgrade, which may mark an older pick as chosen.
  const target = await callTargetSetting.getValue();
  if ((await callTargetChosenSetting.getValue()) === true) return;
  if (target !== 'allo-dialer') await callTargetSetting.setValue('allo-dialer');
}

/** Values as stored, the administrator's first (the background and extension pages only). */
export async function readClickToCallSettings(): Promise<ClickToCallSettings> {
  return withManaged(await readUserClickToCallSettings(), await readManagedSettings());
}

/** "Create lead for unknown calls", the administrator's value first. */
export async function readCreateLeads(): Promise<boolean> {
  const managed = await readManagedSettings();
  return managed.createLeads ?? (await createLeadsSetting.getValue()) === true;
}

/**
 * Option "Notify me of missed calls": on by default. A Chrome notification for each incoming call
 * not answered, from the dialer or Allo (lib/missed-calls/).
 */
export const missedCallNotificationsSetting = storage.defineItem<boolean>('sync:missedCallNotifications', { fallback: true, version: 1 });

/** "Notify me of missed calls", the administrator's value first. */
export async function readMissedCallNotifications(): Promise<boolean> {
  const managed = await readManagedSettings();
  return managed.missedCallNotifications ?? (await missedCallNotificationsSetting.getValue()) !== false;
}

/** Option "Create lead for unknown calls": off by default (docs/architecture.md). */
export const createLeadsSetting = storage.defineItem<boolean>('sync:createLeads', { fallback: false, version: 1 });

/** Option "Log calls from the last N days" when first connecting (0–30). */
export const backfillDaysSetting = storage.defineItem<number>('sync:backfillDays', { fallback: 0, version: 1 });

export const MAX_BACKFILL_DAYS = 30;

/** What the setup offers: a choice a person understands, not a number to type. */
export const BACKFILL_CHOICES = [0, 7, 30] as const;

/**
 * The choices to show: the usual three, and a value set another way (an older number typed in
 * the options, the administrator's policy) so that it is shown as it is, not as a neighbour.
 */
export function backfillChoices(current: number): number[] {
  return [...new Set<number>([...BACKFILL_CHOICES, clampBackfillDays(current)])].sort((a, b) => a - b);
}

export function clampBackfillDays(value: unknown): number {
  const days = typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : 0;
  return Math.min(MAX_BACKFILL_DAYS, Math.max(0, days));
}

const DAY_MS = 24 * 60 * 60_000;

/** Where logging starts when Allo is first polled: `now` (when Allo was connected), minus the back-fill window. */
export async function loggingStartsAt(now = Date.now()): Promise<number> {
  const managed = (await readManagedSettings()).backfillDays;
  return now - clampBackfillDays(managed ?? (await backfillDaysSetting.getValue())) * DAY_MS;
}
