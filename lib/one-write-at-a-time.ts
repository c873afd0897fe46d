/**
 * Runs read-modify-write tasks on one stored item one after another. Two writers that both read
 * the item before either writes would each write back what they read plus their own change, and
 * the first change would be lost. A failed task does not stop the ones queued after it.
 *
 * This orders the writers of one page or worker; each context that writes the item has its own.
 */
export function oneWriteAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
