import type { Browser } from '#imports';

/**
 * After the dialer shows a call, Allo is polled every 30 s (Chrome's shortest alarm period)
 * instead of every minute, for a bounded window: the dialer says when a call starts, not when it
 * ends, and Allo lists a call once it has ended. A team shares one Allo key, so the cost is
 * bounded: at most `MAX_EXTRA_POLLS` polls per call seen (docs/architecture.md).
 */
export const CALL_BURST_ALARM = 'call-burst';
export const BURST_PERIOD_MINUTES = 0.5;
export const BURST_WINDOW_MS = 10 * 60_000;
export const MAX_EXTRA_POLLS = BURST_WINDOW_MS / (BURST_PERIOD_MINUTES * 60_000);

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
      // A call during a burst extends it; re-creating the alarm would push the next poll back.
      if (await alarms.get(CALL_BURST_ALARM)) return;
      await alarms.create(CALL_BURST_ALARM, { delayInMinutes: BURST_PERIOD_MINUTES, periodInMinutes: BURST_PERIOD_MINUTES });
    },
  };
}
