import { describe, expect, it } from 'vitest';
import { onePassAtATime } from '@/lib/one-pass-at-a-time';

describe('onePassAtATime', () => {
  it('never overlaps passes, and gives callers who arrive mid-pass one fresh pass after it', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const run = onePassAtATime<string[]>(
      async (tags) => {
        log.push(`start ${tags.join('+')}`);
        await new Promise<void>((resolve) => (release = resolve));
        log.push(`end ${tags.join('+')}`);
      },
      (a, b) => [...a, ...b],
    );
    const first = run(['a']);
    const second = run(['b']);
    const third = run(['c']);
    expect(log).toEqual(['start a']);
    release();
    await first;
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['start a', 'end a', 'start b+c']);
    release();
    await Promise.all([second, third]);
    expect(log).toEqual(['start a', 'end a', 'start b+c', 'end b+c']);
    // Idle again: the next caller starts at once.
    const fourth = run(['d']);
    expect(log.at(-1)).toBe('start d');
    release();
    await fourth;
  });

  it('goes on after a pass that failed', async () => {
    let calls = 0;
    const run = onePassAtATime<undefined>(
      async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
      },
      () => undefined,
    );
    const failed = run(undefined);
    const next = run(undefined);
    await expect(failed).rejects.toThrow('boom');
    await next;
    expect(calls).toBe(2);
  });
});
