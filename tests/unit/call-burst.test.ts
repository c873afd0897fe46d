import { describe, expect, it, vi } from 'vitest';
import { BURST_WINDOW_MS, CALL_BURST_ALARM, createCallBurst, MAX_EXTRA_POLLS } from '@/lib/dialer/call-burst';

function fakeAlarms() {
  const listeners: Array<(alarm: { name: string }) => void> = [];
  const created = new Map<string, unknown>();
  return {
    created,
    fire: (name: string) => {
      for (const listener of listeners) listener({ name });
    },
    alarms: {
      onAlarm: { addListener: (fn: (alarm: { name: string }) => void) => void listeners.push(fn) },
      create: async (name: string, info: unknown) => void created.set(name, info),
      clear: async (name: string) => created.delete(name),
      get: async (name: string) => (created.has(name) ? { name } : undefined),
    },
  };
}

describe('createCallBurst', () => {
  it('polls every 30 s for a bounded window after a call is seen, then stops', async () => {
    let now = 1_000_000;
    let until = 0;
    const poll = vi.fn(async () => undefined);
    const fake = fakeAlarms();
    const burst = createCallBurst({
      alarms: fake.alarms as never,
      until: {
        getValue: async () => until,
        setValue: async (value) => {
          until = value;
        },
      },
      poll,
      now: () => now,
    });
    fake.fire(CALL_BURST_ALARM);
    await vi.waitFor(() => expect(fake.created.size).toBe(0));
    expect(poll).not.toHaveBeenCalled();

    await burst.callSeen();
    expect(fake.created.get(CALL_BURST_ALARM)).toEqual({ delayInMinutes: 0.5, periodInMinutes: 0.5 });
    // Another call during the burst extends it without pushing the next poll back.
    fake.created.set(CALL_BURST_ALARM, 'running');
    now += 60_000;
    await burst.callSeen();
    expect(fake.created.get(CALL_BURST_ALARM)).toBe('running');
    expect(until).toBe(now + BURST_WINDOW_MS);
    fake.fire('call-poll');
    fake.fire(CALL_BURST_ALARM);
    await vi.waitFor(() => expect(poll).toHaveBeenCalledOnce());

    now += BURST_WINDOW_MS + 1;
    fake.fire(CALL_BURST_ALARM);
    await vi.waitFor(() => expect(fake.created.has(CALL_BURST_ALARM)).toBe(false));
    expect(poll).toHaveBeenCalledOnce();
    expect(MAX_EXTRA_POLLS).toBe(20);
  });
});
