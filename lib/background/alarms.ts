import type { Browser } from '#imports';

export const CONTACT_SYNC_ALARM = 'contact-sync';
export const CONTACT_SYNC_PERIOD_MINUTES = 10;

/**
 * Incremental syncs every 10 minutes. Alarms outlive the worker, and the worker is woken for
 * them, so a sync stopped half-way also resumes at the latest at the next one.
 */
export async function scheduleContactSync(alarms: typeof Browser.alarms, run: () => Promise<void>): Promise<void> {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CONTACT_SYNC_ALARM) void run();
  });
  if (!(await alarms.get(CONTACT_SYNC_ALARM))) {
    await alarms.create(CONTACT_SYNC_ALARM, { periodInMinutes: CONTACT_SYNC_PERIOD_MINUTES, delayInMinutes: CONTACT_SYNC_PERIOD_MINUTES });
  }
}

export const CALL_POLL_ALARM = 'call-poll';

/** About every minute (Chrome's shortest alarm period): look for new Allo calls and log them. */
export async function scheduleCallPolling(alarms: typeof Browser.alarms, run: () => Promise<void>): Promise<void> {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CALL_POLL_ALARM) void run();
  });
  if (!(await alarms.get(CALL_POLL_ALARM))) await alarms.create(CALL_POLL_ALARM, { periodInMinutes: 1 });
}
