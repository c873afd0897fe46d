/**
 * Runs a task one pass at a time. A caller arriving during a pass gets a fresh pass after it
 * (several such callers share that one), because what they want done may have been missed by
 * the pass already under way: a call put back by Retry, calls that a sync just made matchable.
 */
export function onePassAtATime<T>(task: (options: T) => Promise<void>, merge: (a: T, b: T) => T): (options: T) => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: { options: T; promise: Promise<void> } | undefined;
  const start = (options: T): Promise<void> => {
    const pass = task(options).finally(() => {
      if (running === pass) running = undefined;
    });
    running = pass;
    return pass;
  };
  return (options) => {
    if (!running) return start(options);
    if (queued) {
      queued.options = merge(queued.options, options);
      return queued.promise;
    }
    const next = { options } as { options: T; promise: Promise<void> };
    next.promise = running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return start(next.options);
      });
    queued = next;
    return next.promise;
  };
}
