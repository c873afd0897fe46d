import type { Browser } from '#imports';
import { CALL_POLL_ALARM } from '../background/alarms';

/**
 * After the dialer shows a call, the worker is woken every 30 s instead of every minute, for a
 * bounded window: the dialer says when a call starts, not when it ends, and Allo lists a call
 * once it has ended. A second alarm each minute, halfway between two `call-poll` alarms, gives
 * a wake-up every 30 s (Chrome's alarms fire at most every 30 s). A wake-up costs nothing on
 * the team's Allo key: the poll budget (lib/calls/poll-budget.ts) decides at each one whether a
 * poll is due, and spends the tokens it saved while idle on the polls after the call.
 */
export const CALL_BURST_ALARM = 'call-burst';
export const BURST_WINDOW_MS = 10 * 60_000;
const MINUTE_MS = 60_000;
export const MAX_EXTRA_POLLS = BURST_WINDOW_MS / MINUTE_MS;

export interface CallBurstDeps {
  alarms: Pick<typeof Browser.alarms, 'create' | 'clear' | 'get' | 'onAlarm'>;
  /** When the window ends (storage.session: it must outlive the worker between alarms). */
  until: { getValue(): Promise<number>; setValue(value: number): Promise<void> };
  poll(): Promise<void>;
  now?: () => number;
}

export interface CallBurst {
  /** The dialer showed a call starting (outgoing or incoming). */
  callSeen(): Promise<void>;
}

export function createCallBurst({ alarms, until, poll, now = Date.now }: CallBurstDeps): CallBurst {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== CALL_BURST_ALARM) return;
    void until.getValue().then((end) => {
      if (now() > end) void alarms.clear(CALL_BURST_ALARM);
      else void poll();
    });
  });
  return {
    callSeen: async () => {
      await until.setValue(now() + BURST_WINDOW_MS);
      // A call during a burst extends it; re-creating the alarm would move its polls.
      if (await alarms.get(CALL_BURST_ALARM)) return;
      const minutePoll = (await alarms.get(CALL_POLL_ALARM))?.scheduledTime ?? now() + MINUTE_MS;
      const halfway = minutePoll - MINUTE_MS / 2 > now() ? minutePoll - MINUTE_MS / 2 : minutePoll + MINUTE_MS / 2;
      await alarms.create(CALL_BURST_ALARM, { when: halfway, periodInMinutes: 1 });
    },
  };
}
