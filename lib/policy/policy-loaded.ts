import { browser, storage } from '#imports';

/**
 * Whether a policy that sets nothing can be acted on. Chrome may answer `{}` for
 * `storage.managed` for a while after it starts, before it has loaded the policy (seen on
 * managed desktops and VDI; w3c/webextensions#547: an empty policy and one not loaded yet read
 * the same), and it fires no event when the load ends. What would be undone on an empty policy
 * (a Sellsy connection made through the policy's API client) therefore waits until the policy
 * has read empty for `EMPTY_POLICY_BELIEVED_AFTER_MS` since this browser started, or until
 * Chrome said the policy changed while it ran. A policy that sets anything has loaded; a read
 * that fails proves nothing.
 */
export const EMPTY_POLICY_BELIEVED_AFTER_MS = 5 * 60_000;

/** When the policy was first read empty since Chrome started (storage.session: emptied when it closes). */
const emptySinceItem = storage.defineItem<number | null>('session:managedEmptySince', { fallback: null, version: 1 });

export interface PolicyLoaded {
  /** Whether the policy as read now may be acted on, when it sets nothing. */
  believed(): Promise<boolean>;
  /** Chrome said the policy changed (storage.onChanged): what it says from now on is the policy. */
  heard(): Promise<void>;
}

export function createPolicyLoaded({
  read = () => browser.storage.managed.get(null),
  now = Date.now,
}: {
  read?: () => Promise<unknown>;
  now?: () => number;
} = {}): PolicyLoaded {
  return {
    believed: async () => {
      let policy: unknown;
      try {
        policy = await read();
      } catch {
        return false;
      }
      if (typeof policy === 'object' && policy !== null && Object.keys(policy).length > 0) {
        await emptySinceItem.removeValue();
        return true;
      }
      const at = now();
      const since = await emptySinceItem.getValue();
      if (typeof since !== 'number' || !Number.isFinite(since) || since > at) {
        await emptySinceItem.setValue(at);
        return false;
      }
      return at - since >= EMPTY_POLICY_BELIEVED_AFTER_MS;
    },
    heard: () => emptySinceItem.setValue(now() - EMPTY_POLICY_BELIEVED_AFTER_MS),
  };
}

/** Whether, and when, Chrome has said what the policy is (`policyAnswer`). */
export interface PolicyAnswer {
  /** Settles once Chrome answered (or refused) the first question for the policy. */
  answered(): Promise<void>;
  /** Whether it answers within `ms`. */
  answeredWithin(ms: number): Promise<boolean>;
}

/**
 * At Chrome's start the policy may take seconds to be answered for (it is loaded after the
 * extension's worker starts): the popup's first status does not wait for that (create-app.ts,
 * getStatus). The first question is kept: once answered, at once.
 */
export function policyAnswer(): PolicyAnswer {
  let answered: Promise<void> | undefined;
  const first = () => {
    answered ??= browser.storage.managed.get(null).then(
      () => undefined,
      () => undefined,
    );
    return answered;
  };
  return {
    answered: first,
    answeredWithin: async (ms) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      });
      try {
        return await Promise.race([first().then(() => true as const), late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
