/**
 * Chrome stops an extension's service worker after 30 s without an extension event or API call,
 * even in the middle of a fetch loop. Since Chrome 110 any extension API call resets that timer,
 * so a long pass (a sync of a large account) calls a cheap one every 20 s while it runs, and
 * nothing once it ends: the worker is never kept alive for nothing.
 */
export const KEEP_ALIVE_EVERY_MS = 20_000;

/** Runs `work`, calling `ping` (an extension API call) every KEEP_ALIVE_EVERY_MS until it settles. */
export async function whileKeptAlive<T>(work: () => Promise<T>, ping: () => Promise<unknown>): Promise<T> {
  const timer = setInterval(() => {
    // A failed ping changes nothing for the work; the next one tries again.
    ping().catch(() => undefined);
  }, KEEP_ALIVE_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
