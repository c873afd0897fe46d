import { AlloError, type AlloClient, type AlloErrorCode } from '../allo/api-client';
import { alloProblem, readSellsyConnection } from '../connection/connection-state';
import { alloApiKey } from '../connection/stores';
import { onePassAtATime } from '../one-pass-at-a-time';
import { loggingStartsAt } from '../settings';
import { readCallLogger } from './call-logger';
import { callPollState, type CallPoller } from './call-poller';
import type { CallPipeline } from './pipeline';
import { alloUserChoice, resolveCallsOwner } from './whose-calls';

// An opened popup asks Allo for new calls at most this often; the alarm polls every minute anyway.
const REFRESH_INTERVAL_MS = 15_000;

export interface CallLoggingDeps {
  allo: AlloClient;
  poller: Pick<CallPoller, 'poll'>;
  pipeline: Pick<CallPipeline, 'run' | 'retry'>;
  /**
   * Whether this build can connect to Sellsy at all. Without it the pipeline never runs: calls
   * found stay as they are instead of waiting for a reconnect that cannot come.
   */
  /** Whether some Sellsy API client is set (the build's, the user's or the administrator's). */
  sellsyAvailable: () => Promise<boolean>;
  /** After each pass of the pipeline: what shows the calls (badge, popup) catches up. */
  afterPass: () => Promise<void>;
  now?: () => number;
}

/** Finding the user's Allo calls and logging them in Sellsy, as the alarms and the popup ask. */
export interface CallLogging {
  /** Polls Allo for the user's new calls and logs what is due (alarm, about every minute). */
  logCalls(): Promise<void>;
  /** The popup opened: polls Allo now, or once 15 s have passed since the last poll started. */
  refreshCalls(): Promise<void>;
  /** "Retry": the call goes back to pending and is tried at once. */
  retryCall(alloId: string): Promise<void>;
  /** A contact sync ended: calls waiting for their contact may match now. */
  contactsChanged(): Promise<void>;
}

export function createCallLogging({ allo, poller, pipeline, sellsyAvailable, afterPass, now = () => Date.now() }: CallLoggingDeps): CallLogging {
  // With Allo's own integration logging the calls, the extension neither reads Allo for them nor
  // posts any Phone Call; copies it wrote before the switch are still settled against the
  // integration's logs, so a call is not left logged twice.
  const logsHere = async () => (await readCallLogger()) === 'extension';
  const runPipeline = async (options: { contactsChanged?: boolean } = {}) => {
    if (!(await sellsyAvailable())) return;
    await pipeline.run({ ...options, settleOnly: !(await logsHere()) });
    await afterPass();
  };

  let startedAt = 0;
  const logOnce = async () => {
    startedAt = now();
    // Calls are looked for once both services are connected; while Sellsy access is revoked they
    // keep being found and wait, so none is lost.
    const sellsy = await readSellsyConnection();
    if (!sellsy) return;
    if (!(await logsHere())) return runPipeline();
    if (!(await alloApiKey.getValue())) return;
    const owner = await resolveCallsOwner(allo, sellsy.staff).catch(async (error: unknown) => {
      await alloProblem.setValue(problemOf(error));
      return null;
    });
    if (owner) {
      try {
        await poller.poll(owner.user.id, await loggingStartsAt(now()), owner.account);
        await alloProblem.removeValue();
      } catch (error) {
        // Shown in the popup's Allo card; calls already found are still logged below.
        await alloProblem.setValue(problemOf(error));
      }
    }
    await runPipeline();
  };
  // One pass at a time, however many alarms, popups and Retry clicks ask.
  const passes = onePassAtATime<undefined>(logOnce, () => undefined);
  const logCalls = () => passes(undefined);

  // A poll for an opened popup: now, or once 15 s have passed since the last one started
  // (one pending at most; a poll started meanwhile pushes it back).
  let refreshPending = false;
  const refreshWhenDue = () => {
    const wait = startedAt + REFRESH_INTERVAL_MS - now();
    if (wait <= 0) return void logCalls();
    if (refreshPending) return;
    refreshPending = true;
    setTimeout(() => {
      refreshPending = false;
      refreshWhenDue();
    }, wait);
  };

  return {
    logCalls,
    refreshCalls: async () => {
      await runPipeline();
      refreshWhenDue();
    },
    retryCall: async (alloId) => {
      if ((await sellsyAvailable()) && (await logsHere())) await pipeline.retry(alloId);
      await logCalls();
    },
    contactsChanged: () => runPipeline({ contactsChanged: true }),
  };
}

/** Allo was disconnected: whose calls and the poll position go with the key. */
export async function forgetAlloCalls(): Promise<void> {
  await Promise.all([alloUserChoice.removeValue(), callPollState.removeValue()]);
}

function problemOf(error: unknown): AlloErrorCode {
  return error instanceof AlloError ? error.code : 'request';
}
