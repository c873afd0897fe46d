import { describe, expect, it, vi } from 'vitest';
import { CALL_POLL_ALARM } from '@/lib/background/alarms';
import { BURST_WINDOW_MS, CALL_BURST_ALARM, createCallBurst, MAX_EXTRA_POLLS } from '@/lib/dialer/call-burst';

function fakeAlarms() {
  const listeners: Array<(alarm: { name: string }) => void> = [];
  const created = new Map<string, { when?: number; periodInMinutes?: number; scheduledTime?: number }>();
  return {
    created,
    fire: (name: string) => {
      for (const listener of listeners) listener({ name });
    },
    alarms: {
      onAlarm: { addListener: (fn: (alarm: { name: string }) => void) => void listeners.push(fn) },
      create: async (name: string, info: { when?: number; periodInMinutes?: number }) => void created.set(name, info),
      clear: async (name: string) => created.delete(name),
      get: async (name: string) => (created.has(name) ? { name, ...created.get(name) } : undefined),
    },
  };
}

function setUp(now: { value: number }) {
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
    now: () => now.value,
  });
  return { burst, poll, fake, until: () => until };
}

describe('createCallBurst', () => {
  it('adds a poll halfway between two minute polls, for a bounded window after a call', async () => {
    const now = { value: 1_000_000 };
    const { burst, poll, fake, until } = setUp(now);
    fake.created.set(CALL_POLL_ALARM, { scheduledTime: now.value + 40_000, periodInMinutes: 1 });
    fake.fire(CALL_BURST_ALARM);
    await Promise.resolve();
    expect(poll).not.toHaveBeenCalled();

    await burst.callSeen();
    expect(fake.created.get(CALL_BURST_ALARM)).toEqual({ when: now.value + 10_000, periodInMinutes: 1 });
    fake.fire('call-poll');
    fake.fire(CALL_BURST_ALARM);
    await vi.waitFor(() => expect(poll).toHaveBeenCalledOnce());

    // Another call during the burst extends it and leaves the alarm where it was.
    now.value += 60_000;
    await burst.callSeen();
    expect(fake.created.get(CALL_BURST_ALARM)).toEqual({ when: now.value - 50_000, periodInMinutes: 1 });
    expect(until()).toBe(now.value + BURST_WINDOW_MS);

    now.value += BURST_WINDOW_MS + 1;
    fake.fire(CALL_BURST_ALARM);
    await vi.waitFor(() => expect(fake.created.has(CALL_BURST_ALARM)).toBe(false));
    expect(poll).toHaveBeenCalledOnce();
    expect(MAX_EXTRA_POLLS).toBe(10);
  });

  it('puts the extra poll after the next minute poll when halfway before it has passed', async () => {
    const now = { value: 1_000_000 };
    const { burst, fake } = setUp(now);
    fake.created.set(CALL_POLL_ALARM, { scheduledTime: now.value + 10_000, periodInMinutes: 1 });
    await burst.callSeen();
    expect(fake.created.get(CALL_BURST_ALARM)).toEqual({ when: now.value + 40_000, periodInMinutes: 1 });
  });
});
