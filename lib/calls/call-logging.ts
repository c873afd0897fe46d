import { AlloError, type AlloClient, type AlloErrorCode } from '../allo/api-client';
import { alloProblem, readSellsyConnection } from '../connection/connection-state';
import { alloApiKey } from '../connection/stores';
import { onePassAtATime } from '../one-pass-at-a-time';
import { loggingStartsAt } from '../settings';
import { readCallLogger } from './call-logger';
import { callPollState, type CallPoller } from './call-poller';
import { loggingStart, newPositionFrom } from './poll-state';
import type { CallPipeline } from './pipeline';
import { alloUserChoice, resolveCallsOwner } from './whose-calls';

import { USER_POLL_GAP_MS } from './poll-budget';
import { alloKeyFactsItem, type PollSchedule } from './poll-schedule';

export interface CallLoggingDeps {
  allo: AlloClient;
  poller: Pick<CallPoller, 'poll'>;
  pipeline: Pick<CallPipeline, 'run' | 'retry' | 'contactAdded'>;
  /** When this browser may look for calls on the team's key (poll-budget.ts). */
  schedule: Pick<PollSchedule, 'begin' | 'end'>;
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
  /**
   * Logs what is due, and polls Allo for the user's new calls when the budget says a poll is
   * due (alarm, each minute; after a call seen in the dialer, every 30 s for a while).
   */
  logCalls(): Promise<void>;
  /** The user asked (connected, picked whose calls): polls Allo now, at most every 15 s. */
  pollNow(): Promise<void>;
  /** The popup opened: polls Allo now, or once 15 s have passed since the last poll the user asked for. */
  refreshCalls(): Promise<void>;
  /** "Retry": the call goes back to pending and is tried at once. */
  retryCall(alloId: string): Promise<void>;
  /** A contact sync ended: calls waiting for their contact may match now. */
  contactsChanged(): Promise<void>;
  /** A contact was made for this number in the side panel: its calls not found are matched again now. */
  contactAdded(e164: string): Promise<void>;
}

export function createCallLogging({ allo, poller, pipeline, schedule, sellsyAvailable, afterPass, now = () => Date.now() }: CallLoggingDeps): CallLogging {
  // With Allo's own integration logging the calls, the extension neither reads Allo for them nor
  // posts any Phone Call; copies it wrote before the switch are still settled against the
  // integration's logs, so a call is not left logged twice.
  const logsHere = async () => (await readCallLogger()) === 'extension';
  const runPipeline = async (options: { contactsChanged?: boolean } = {}) => {
    if (!(await sellsyAvailable())) return;
    await pipeline.run({ ...options, settleOnly: !(await logsHere()) });
    await afterPass();
  };

  // When the last poll the user asked for started (the popup's 15 s).
  let userPollAt = 0;
  const logOnce = async ({ byUser }: { byUser: boolean }) => {
    // Calls are looked for once both services are connected; while Sellsy access is revoked they
    // keep being found and wait, so none is lost.
    const sellsy = await readSellsyConnection();
    if (!sellsy) return;
    if (!(await logsHere())) {
      // Allo's integration logs the calls meanwhile: this extension starts when it takes over.
      await loggingStart.forget();
      return runPipeline();
    }
    if (!(await alloApiKey.getValue())) return;
    // Allo connected by a version that did not note when (or while the integration logged): from now.
    await loggingStart.note(now());
    // Not due, or the user asked less than 15 s ago: what was found is still logged.
    if (!(await schedule.begin(byUser))) return runPipeline();
    if (byUser) userPollAt = now();
    try {
      const owner = await resolveCallsOwner(allo, sellsy.staff).catch(async (error: unknown) => {
        await alloProblem.setValue(problemOf(error));
        return null;
      });
      if (owner) {
        try {
          // A first position starts when Allo was connected, not when the person became known
          // (picked their name): the calls made meanwhile are theirs too.
          await poller.poll(owner.user.id, await loggingStartsAt(await newPositionFrom(now())), owner.account);
          await alloProblem.removeValue();
        } catch (error) {
          // Shown in the popup's Allo card; calls already found are still logged below.
          await alloProblem.setValue(problemOf(error));
        }
      }
    } finally {
      await schedule.end();
    }
    await runPipeline();
  };
  // One pass at a time, however many alarms, popups and Retry clicks ask; a user's ask wins.
  const passes = onePassAtATime<{ byUser: boolean }>(logOnce, (a, b) => ({ byUser: a.byUser || b.byUser }));
  const logCalls = () => passes({ byUser: false });
  const pollNow = () => passes({ byUser: true });

  // A poll for an opened popup: now, or once 15 s have passed since the last one the user
  // asked for (one pending at most).
  let refreshPending = false;
  const refreshWhenDue = () => {
    const wait = userPollAt + USER_POLL_GAP_MS - now();
    if (wait <= 0) return void pollNow();
    if (refreshPending) return;
    refreshPending = true;
    setTimeout(() => {
      refreshPending = false;
      refreshWhenDue();
    }, wait);
  };

  return {
    logCalls,
    pollNow,
    refreshCalls: async () => {
      await runPipeline();
      refreshWhenDue();
    },
    retryCall: async (alloId) => {
      if ((await sellsyAvailable()) && (await logsHere())) await pipeline.retry(alloId);
      await pollNow();
    },
    contactsChanged: () => runPipeline({ contactsChanged: true }),
    contactAdded: async (e164) => {
      // Allo's integration logging the calls: no Phone Call of ours is written, as for Retry.
      if (!(await sellsyAvailable()) || !(await logsHere())) return;
      await pipeline.contactAdded(e164);
      await afterPass();
    },
  };
}

/** Allo was disconnected: whose calls, the poll position, when it was connected and what Allo said of the key go with it. */
export async function forgetAlloCalls(): Promise<void> {
  await Promise.all([alloUserChoice.removeValue(), callPollState.removeValue(), alloKeyFactsItem.removeValue(), loggingStart.forget()]);
}

function problemOf(error: unknown): AlloErrorCode {
  return error instanceof AlloError ? error.code : 'request';
}
