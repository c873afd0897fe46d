import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEEP_ALIVE_EVERY_MS, whileKeptAlive } from '@/lib/background/keep-alive';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('whileKeptAlive', () => {
  it('calls the extension API within every 30 s while the work runs, and never after', async () => {
    const ping = vi.fn(async () => ({ os: 'linux' }));
    let finish!: (value: string) => void;
    const running = whileKeptAlive(() => new Promise<string>((resolve) => (finish = resolve)), ping);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    // Chrome stops an idle worker after 30 s: no gap between pings reaches it.
    expect(KEEP_ALIVE_EVERY_MS).toBeLessThan(30_000);
    expect(ping).toHaveBeenCalledTimes(Math.floor((5 * 60_000) / KEEP_ALIVE_EVERY_MS));
    finish('done');
    await expect(running).resolves.toBe('done');
    ping.mockClear();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(ping).not.toHaveBeenCalled();
  });

  it('stops pinging when the work fails, and a failed ping does not stop the work', async () => {
    const ping = vi.fn(async () => {
      throw new Error('Extension context invalidated.');
    });
    let fail!: (error: Error) => void;
    const running = whileKeptAlive(() => new Promise<never>((_, reject) => (fail = reject)), ping);
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_EVERY_MS * 2);
    expect(ping).toHaveBeenCalledTimes(2);
    fail(new Error('sync failed'));
    await expect(running).rejects.toThrow('sync failed');
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_EVERY_MS * 2);
    expect(ping).toHaveBeenCalledTimes(2);
  });
});
