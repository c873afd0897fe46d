/**
 * At most `perSecond` requests in any one-second window (Sellsy: plan for 5 per second per
 * account), plus a margin: requests sent 1,000 ms apart can arrive closer than that, and a
 * 429 costs a whole second. Callers wait their turn in order.
 */
const WINDOW_MS = 1_100;

export class RateLimiter {
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  take(): Promise<void> {
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sent.length > 0 && now - this.sent[0]! >= WINDOW_MS) this.sent.shift();
      if (this.sent.length < this.perSecond) {
        this.sent.push(now);
        return;
      }
      await this.sleep(WINDOW_MS - (now - this.sent[0]!));
    }
  }
}
