import { useCallback, useEffect, useState } from 'preact/hooks';
import { alloConnection, alloProblem, policyAnsweredAt, sellsyConnection } from '@/lib/connection/connection-state';
import type { ActionError, ActionResult, Status } from '@/lib/connection/status';
import { sendMessage } from '@/lib/messaging';
import { syncStatus } from '@/lib/sync/status-store';

export type Busy = 'sellsy' | 'allo' | undefined;

export interface Connections {
  status: Status | undefined;
  busy: Busy;
  sellsyError: ActionError | undefined;
  alloError: ActionError | undefined;
  connectSellsy(): Promise<void>;
  disconnectSellsy(): Promise<void>;
  saveAlloKey(key: string): Promise<boolean>;
  disconnectAllo(): Promise<void>;
  syncNow(): Promise<void>;
  /** Asks again (the Sellsy API client changed: nothing the popup watches may have). */
  reload(): Promise<void>;
}

/**
 * The popup's view of both connections: asked from the background (which, with `verify`,
 * verifies Sellsy once on opening; the options only show what is known), and asked again
 * whenever the background records a change, so a revocation seen by any request shows up while
 * the page is open. A status the background cannot give leaves the page as it was.
 */
export function useConnections({ verify = true }: { verify?: boolean } = {}): Connections {
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState<Busy>();
  const [sellsyError, setSellsyError] = useState<ActionError>();
  const [alloError, setAlloError] = useState<ActionError>();

  useEffect(() => {
    const ignore = () => undefined;
    void sendMessage('getStatus', { verify }).then(setStatus, ignore);
    const refresh = () => void sendMessage('getStatus', { verify: false }).then(setStatus, ignore);
    const unwatch = [sellsyConnection, alloConnection, alloProblem, syncStatus, policyAnsweredAt].map((item) => item.watch(refresh));
    return () => {
      for (const stop of unwatch) stop();
    };
  }, []);

  const run = useCallback(async (which: 'sellsy' | 'allo', action: () => Promise<ActionResult>) => {
    setBusy(which);
    try {
      const result = await action();
      setStatus(result.status);
      (which === 'sellsy' ? setSellsyError : setAlloError)(result.ok ? undefined : result.error);
      return result.ok;
    } finally {
      setBusy(undefined);
    }
  }, []);

  return {
    reload: async () => {
      setSellsyError(undefined);
      setStatus(await sendMessage('getStatus', { verify: false }));
    },
    status,
    busy,
    sellsyError,
    alloError,
    connectSellsy: async () => {
      await run('sellsy', () => sendMessage('connectSellsy'));
    },
    disconnectSellsy: async () => {
      setSellsyError(undefined);
      setStatus(await sendMessage('disconnectSellsy'));
    },
    saveAlloKey: (key) => run('allo', () => sendMessage('setAlloApiKey', { key })),
    disconnectAllo: async () => {
      setAlloError(undefined);
      setStatus(await sendMessage('disconnectAllo'));
    },
    syncNow: async () => {
      setStatus(await sendMessage('syncNow'));
    },
  };
}
