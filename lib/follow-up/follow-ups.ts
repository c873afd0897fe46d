import { oneWriteAtATime } from '../one-write-at-a-time';
import type { RecordKind } from '../cache/schema';
import { isDisconnection, SellsyError } from '../sellsy/errors';
import type { SellsyTasks, TaskLabel } from '../sellsy/tasks';
import { followUpLabelItem, followUpsItem, readFollowUps, type StoredFollowUp, viewOf } from './follow-up-items';
import type { FollowUpInput, FollowUpProblem, FollowUpView } from './follow-up-shape';
import { followUpTitle } from './follow-up-title';
import { pickTaskLabel } from './task-label';

/**
 * The side panel's "Call back": a Sellsy task on the record, due when the person chose, assigned
 * to them, created exactly once. A task has no idempotency key, so, as for Phone Calls: the
 * request is stored before anything is sent; its id is a marker line in the task's description;
 * after a POST whose answer is unknown (dropped, timed out, 5xx) Sellsy is searched for the
 * marker before any second POST; and the request is tried again (now, then each minute and at
 * each start of the worker) until it is known done or known refused.
 */

interface Stored<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
}

export interface FollowUpDeps {
  sellsy: SellsyTasks;
  /** The connected Sellsy staff (the task's owner and assignee); undefined when not connected. */
  staffId(): Promise<number | undefined>;
  /** The words before the record's name in the title ("Call back", "Rappeler"). */
  titlePrefix: string;
  items?: Stored<unknown[]>;
  labelItem?: Stored<{ account: number; id: number; name: string } | null>;
  now?: () => number;
  newId?: () => string;
  sleep?: (ms: number) => Promise<void>;
}

export type FollowUpResult = { ok: true; followUp: FollowUpView } | { ok: false; problem: FollowUpProblem };

export interface FollowUps {
  /** Stores the request, then creates the task; answers with where it stands. */
  request(input: FollowUpInput): Promise<FollowUpResult>;
  /** Retry from the panel: a failed follow-up is tried again (searching first if a POST may have landed). */
  retry(id: string): Promise<FollowUpView | undefined>;
  /** Every follow-up not known done or refused is tried again (worker start, the minute alarm). */
  resume(): Promise<void>;
}

/** The marker line of one follow-up in its task's description: searched for before any second POST. */
export function followUpMarker(id: string): string {
  return `[Allo follow-up ${id}]`;
}

/** Whether a task's description holds this follow-up's marker as a line of its own. */
export function hasFollowUpMarker(description: string | null, id: string): boolean {
  if (!description) return false;
  const marker = followUpMarker(id);
  return description.split(/\r?\n|<br\s*\/?>/i).some((line) => line.trim() === marker);
}

const RECORD_KEY = /^(contact|company|individual):(\d{1,15})$/;
/** Tries within one request before it is left to the minute alarm (a brief outage passes meanwhile). */
const TRIES_NOW = 3;
const PAUSES_MS = [1_000, 3_000];
/** Tries in all before a follow-up that never gets a clear answer is said to have failed (Retry starts again). */
const MAX_TRIES = 30;
/** A task made moments before the request's clock said (clock skew between here and Sellsy) is still found. */
const SEARCH_MARGIN_MS = 10 * 60_000;
/** Sellsy's search may lag behind its writes (docs/sellsy-and-allo.md): the last look for a second task waits this long. */
const SEARCH_CAUGHT_UP_MS = 2 * 60_000;
/** Follow-ups done or refused are kept this long, at most this many: the panel shows the latest. */
const KEEP_FINISHED_MS = 7 * 86_400_000;
const KEEP_FINISHED = 50;
/** Follow-ups not yet done; beyond this a new one is refused rather than growing storage without end. */
const MAX_PENDING = 100;
/** Follow-ups tried per pass of `resume`. */
const PER_PASS = 20;

export function createFollowUps(deps: FollowUpDeps): FollowUps {
  const items = deps.items ?? followUpsItem;
  const labelItem = deps.labelItem ?? followUpLabelItem;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const write = oneWriteAtATime();
  // One drive per follow-up at a time: a Retry while the alarm tries it shares that try.
  const driving = new Map<string, Promise<void>>();
  const checking = new Map<string, Promise<void>>();
  // The account connected at the last pass of `resume` (null before the first).
  let seenStaff: number | undefined | null = null;

  const all = async () => readFollowUps(await items.getValue());
  const get = async (id: string) => (await all()).find((followUp) => followUp.id === id);
  const update = (id: string, change: (followUp: StoredFollowUp) => StoredFollowUp) =>
    write(async () => {
      const list = await all();
      const next = list.map((followUp) => (followUp.id === id ? change(followUp) : followUp));
      await items.setValue(next);
      return next.find((followUp) => followUp.id === id);
    });
  const finish = (id: string, fields: Partial<StoredFollowUp>) =>
    update(id, (followUp) => {
      const { problem: _problem, delayed: _delayed, ...rest } = followUp;
      return { ...rest, ...fields };
    });

  async function labelsOrRefused(): Promise<TaskLabel[]> {
    try {
      return await deps.sellsy.listTaskLabels();
    } catch (error) {
      // A 404 here says the labels' address (assumed, docs/sellsy-and-allo.md) is wrong, not that the record is gone.
      if (error instanceof SellsyError && error.code === 'not-found') throw new SellsyError('request', error.message, error.status);
      throw error;
    }
  }

  async function labelFor(account: number): Promise<TaskLabel | null> {
    const cached = await labelItem.getValue();
    if (cached && cached.account === account) return { id: cached.id, name: cached.name };
    const label = pickTaskLabel(await labelsOrRefused());
    if (label) await labelItem.setValue({ account, id: label.id, name: label.name });
    return label;
  }

  /**
   * A POST can land twice without our knowing: Chromium sends a request again by itself when a
   * reused connection closes before any answer. So once done, the record's tasks are searched for
   * the marker (now, then again once Sellsy's search has surely caught up with the last POST) and
   * any but the first is deleted. Only tasks created by the last POST (with the clock margin) are
   * looked at: a copy a person made of our task later in Sellsy carries the marker too, and is theirs.
   * A failed look is tried again by `resume`; the task itself is done either way.
   */
  function checkForSecond(id: string): Promise<void> {
    // One look per follow-up at a time: the alarm's and the request's would count as two.
    const running = checking.get(id);
    if (running) return running;
    const run = lookForSecond(id).finally(() => checking.delete(id));
    checking.set(id, run);
    return run;
  }

  async function lookForSecond(id: string): Promise<void> {
    const followUp = await get(id);
    if (followUp?.state !== 'done' || (followUp.checks ?? 0) >= 2) return;
    try {
      // In another account the record's id is someone else's: the look waits for ours to be back.
      if ((await deps.staffId()) !== followUp.account) return;
      const created = {
        start: new Date(followUp.requestedAt - SEARCH_MARGIN_MS).toISOString(),
        end: new Date(sentAt(followUp) + SEARCH_MARGIN_MS).toISOString(),
      };
      const record = { type: followUp.record.type, id: followUp.record.id };
      const ours = (await deps.sellsy.searchTasks(record, created)).filter((task) => hasFollowUpMarker(task.description, id)).sort((a, b) => a.id - b.id);
      for (const extra of ours.slice(1)) await deps.sellsy.deleteTask(extra.id);
      const kept = ours[0]?.id ?? followUp.taskId;
      await update(id, (current) => ({ ...current, checks: (current.checks ?? 0) + 1, ...(kept !== undefined ? { taskId: kept } : {}) }));
    } catch {
      // Tried again by the next pass.
    }
  }

  /** One try: 'again' when the outcome is not known (the caller tries later), else 'settled'. */
  async function tryOnce(followUp: StoredFollowUp): Promise<'again' | 'settled'> {
    const staff = await deps.staffId();
    if (staff !== followUp.account) {
      await finish(followUp.id, { state: 'failed', problem: 'disconnected' });
      return 'settled';
    }
    const record = { type: followUp.record.type, id: followUp.record.id };
    // A try counts once, POST or not: a search or a label list that always fails still ends.
    let counted = false;
    try {
      if (followUp.sent) {
        const since = new Date(followUp.requestedAt - SEARCH_MARGIN_MS).toISOString();
        const found = (await deps.sellsy.searchTasks(record, { start: since })).find((task) => hasFollowUpMarker(task.description, followUp.id));
        if (found) {
          await finish(followUp.id, { state: 'done', taskId: found.id });
          await checkForSecond(followUp.id);
          return 'settled';
        }
      }
      const label = await labelFor(staff);
      if (!label) {
        await finish(followUp.id, { state: 'failed', problem: 'no-label' });
        return 'settled';
      }
      // Written before the POST leaves: a worker stopped while it is out searches before posting again.
      await update(followUp.id, (current) => ({ ...current, sent: true, sentAt: now(), tries: current.tries + 1 }));
      counted = true;
      const task = await deps.sellsy.createTask({
        title: followUp.title,
        description: followUp.description,
        due_date: followUp.dueAt,
        label_id: label.id,
        owner_id: staff,
        assigned_staff_ids: [staff],
        related: [record],
        is_private: false,
      });
      await finish(followUp.id, { state: 'done', taskId: task.id });
      await checkForSecond(followUp.id);
      return 'settled';
    } catch (error) {
      const problem = problemOf(error);
      if (problem) {
        // A label Sellsy refused (deleted since it was read) is read again at the next try.
        if (problem === 'refused') await labelItem.setValue(null);
        await finish(followUp.id, { state: 'failed', problem });
        return 'settled';
      }
      const after = await update(followUp.id, (current) => ({ ...current, delayed: true, tries: counted ? current.tries : current.tries + 1 }));
      if (after && after.tries >= MAX_TRIES) {
        await finish(followUp.id, { state: 'failed', problem: 'unreachable' });
        return 'settled';
      }
      return 'again';
    }
  }

  /**
   * A follow-up that failed only because its account was not connected is asked for still: once
   * that account is connected again it is carried out, without waiting for a Retry on that number.
   * Only when the connection changed (or the worker started), so that a refusal Sellsy words as a
   * lost connection is not tried each minute.
   */
  async function reviveDisconnected(): Promise<void> {
    const staff = await deps.staffId();
    const changed = staff !== seenStaff;
    seenStaff = staff;
    if (staff === undefined || !changed) return;
    const sameRecord = (a: StoredFollowUp, b: StoredFollowUp) => a.account === b.account && a.record.type === b.record.type && a.record.id === b.record.id;
    // One asked again for that record since (another moment instead of Retry) replaces it.
    const waiting = (f: StoredFollowUp, list: StoredFollowUp[]) =>
      f.state === 'failed' && f.problem === 'disconnected' && f.account === staff && !list.some((g) => sameRecord(g, f) && g.requestedAt > f.requestedAt);
    const before = await all();
    if (!before.some((f) => waiting(f, before))) return;
    await write(async () => {
      const list = await all();
      await items.setValue(
        list.map((followUp) => {
          if (!waiting(followUp, list)) return followUp;
          const { problem: _problem, delayed: _delayed, ...rest } = followUp;
          return { ...rest, state: 'pending', tries: 0 };
        }),
      );
    });
  }

  function drive(id: string, tries: number): Promise<void> {
    const running = driving.get(id);
    if (running) return running;
    const run = (async () => {
      for (let attempt = 0; attempt < tries; attempt++) {
        const followUp = await get(id);
        if (followUp?.state !== 'pending') return;
        if ((await tryOnce(followUp)) === 'settled') return;
        const pause = PAUSES_MS[attempt];
        if (attempt + 1 < tries && pause !== undefined) await sleep(pause);
      }
    })().finally(() => driving.delete(id));
    driving.set(id, run);
    return run;
  }

  return {
    async request(input) {
      const match = RECORD_KEY.exec(input.record.key);
      const account = await deps.staffId();
      if (!match) return { ok: false, problem: 'refused' };
      if (account === undefined) return { ok: false, problem: 'disconnected' };
      const record = { type: match[1] as RecordKind, id: Number(match[2]), name: input.record.name };
      const id = newId();
      const added = await write(async () => {
        const list = await all();
        // A second press (another panel, a double click) while one is under way for this record shares it.
        const same = list.find((f) => f.state === 'pending' && f.account === account && f.record.type === record.type && f.record.id === record.id);
        if (same) return same;
        const pending = list.filter((f) => f.state === 'pending');
        if (pending.length >= MAX_PENDING) return undefined;
        const at = now();
        const finished = list
          .filter((f) => f.state !== 'pending' && at - f.requestedAt < KEEP_FINISHED_MS)
          .sort((a, b) => b.requestedAt - a.requestedAt)
          .slice(0, KEEP_FINISHED);
        const followUp: StoredFollowUp = {
          id,
          account,
          e164: input.e164,
          record,
          title: followUpTitle(deps.titlePrefix, record.name, input.noteFirstLine),
          description: followUpMarker(id),
          dueAt: input.dueAt,
          requestedAt: at,
          state: 'pending',
          sent: false,
          tries: 0,
        };
        await items.setValue([...pending, ...finished, followUp]);
        return followUp;
      });
      if (!added) return { ok: false, problem: 'refused' };
      await drive(added.id, TRIES_NOW);
      const after = await get(added.id);
      return after ? { ok: true, followUp: viewOf(after) } : { ok: false, problem: 'refused' };
    },

    async retry(id) {
      const followUp = await update(id, (current) => {
        if (current.state !== 'failed') return current;
        const { problem: _problem, delayed: _delayed, ...rest } = current;
        return { ...rest, state: 'pending', tries: 0 };
      });
      if (!followUp) return undefined;
      await drive(id, TRIES_NOW);
      const after = await get(id);
      return after ? viewOf(after) : undefined;
    },

    async resume() {
      await reviveDisconnected();
      const stored = await all();
      const pending = stored.filter((followUp) => followUp.state === 'pending').slice(0, PER_PASS);
      for (const followUp of pending) await drive(followUp.id, 1);
      const settledBefore = now() - SEARCH_CAUGHT_UP_MS;
      const unchecked = stored
        .filter((f) => f.state === 'done' && ((f.checks ?? 0) === 0 || ((f.checks ?? 0) === 1 && sentAt(f) < settledBefore)))
        .slice(0, PER_PASS);
      for (const followUp of unchecked) await checkForSecond(followUp.id);
    },
  };
}

/** When the follow-up's last POST went out; its request time for one stored before that was kept. */
function sentAt(followUp: StoredFollowUp): number {
  return followUp.sentAt ?? followUp.requestedAt;
}

/** A refusal that trying again will not change, or undefined for a passing failure (tried again). */
function problemOf(error: unknown): FollowUpProblem | undefined {
  if (!(error instanceof SellsyError)) return undefined;
  if (isDisconnection(error.code)) return 'disconnected';
  switch (error.code) {
    case 'forbidden':
    case 'scope-refused':
      return 'no-scope';
    case 'not-found':
      return 'gone';
    case 'request':
      return 'refused';
    default:
      return undefined;
  }
}
