import { storage } from '#imports';

/** Bumped when what the popup shows of the calls changed: the popup watches it to reload its list. */
export const callsUpdatedAt = storage.defineItem<number>('local:callsUpdatedAt', { fallback: 0, version: 1 });

/**
 * Bumps `callsUpdatedAt` only when `read` (what the popup shows) differs from the last time:
 * a pass that changed nothing visible must not make an open popup reload.
 */
export function createCallsNotifier(read: () => Promise<unknown>, now = Date.now): () => Promise<void> {
  let shown: string | undefined;
  return async () => {
    const current = JSON.stringify(await read());
    if (current === shown) return;
    shown = current;
    await callsUpdatedAt.setValue(now());
  };
}
