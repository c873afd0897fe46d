import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { RecordCache } from '../cache/records';
import { recordKey, type CachedRecord } from '../cache/schema';
import type { CallLogTarget, CallRecord } from './call-record';
import { backoffMs } from '../sellsy/api-client';
import type { SellsyContact } from '../sellsy/contacts';
import { toCachedRecord } from '../sellsy/crm-records';
import { SellsyError } from '../sellsy/errors';
import type { PhoneCall } from '../sellsy/phone-calls';
import { onePassAtATime } from '../one-pass-at-a-time';
import type { CallStore } from './call-store';
import { describeCall, phoneCallBody, planTargets, type DescriptionLabels } from './phone-call-mapping';
import {
  type Context,
  decideSettle,
  decideSummaryUpdate,
  decideUnposted,
  INTEGRATION_START_TOLERANCE_MS,
  primaryOf,
  type Related,
  SEARCH_SETTLE_MS,
} from './reconciler';
import type { SellsyForCalls } from './sellsy-for-calls';

export { SEARCH_SETTLE_MS } from './reconciler';

export interface PipelineDeps {
  calls: CallStore;
  cache: RecordCache;
  sellsy: SellsyForCalls;
  /** The connected staff's id (the `owner_id` of every Phone Call), or undefined when not connected. */
  ownerId: () => Promise<number | undefined>;
  settings: () => Promise<{ createLeads: boolean }>;
  labels?: DescriptionLabels;
  /** A Phone Call of Allo's own integration that names the call was adopted: it logs the user's calls too. */
  onIntegrationLog?: () => Promise<void>;
  /**
   * The side panel's call notes (lib/notes/note-writer.ts), written in the same pass as the calls
   * they belong to, so a note and a settling or summary rewrite never interleave.
   */
  notes?: { writeDue(ownerId: number, callsLogged: boolean): Promise<{ gone: number[] }> };
  now?: () => number;
}

interface RunOptions {
  contactsChanged: boolean;
  settleOnly: boolean;
}

export const SUMMARY_WAIT_MS = 15 * 60_000;
export const SUMMARY_WATCH_MS = 24 * 60 * 60_000;
export const NOT_FOUND_AFTER_MS = 24 * 60 * 60_000;
const CONTACT_RETRY_MS = 10 * 60_000;
/** The second settling of a target, after a search lag far longer than Sellsy's usual. */
export const SETTLE_RECHECK_MS = 30 * 60_000;
const KEEP_SYNCED_MS = 30 * 24 * 60 * 60_000;
// Sellsy's `created` is its clock, not ours: searches for copies look this far back.
const CLOCK_MARGIN_MS = 10 * 60_000;

/** The fields the pipeline owns; the poller owns what Allo says (summary, result, duration, recording). */
const PIPELINE_FIELDS = ['state', 'waitingFor', 'error', 'attempts', 'nextAttemptAt', 'retriedAt', 'replan', 'targets', 'lead', 'settleAt'] as const;
const ERROR_STATES = new Set<CallRecord['state']>(['contact_not_found', 'contact_deleted', 'integration_disconnected', 'failed']);

/**
 * Logs each call on every matching Sellsy record exactly once: for every (call, record) one Phone
 * Call relates them, and nothing a person wrote is removed. Every step is saved before the next
 * starts; a target found in `posting` is searched for before it is posted again; copies made by
 * other browsers are settled once Sellsy's search has caught up (see `settle`).
 */
export class CallPipeline {
  private readonly passes = onePassAtATime<RunOptions>(
    (options) => this.runOnce(options),
    (a, b) => ({ contactsChanged: a.contactsChanged || b.contactsChanged, settleOnly: a.settleOnly || b.settleOnly }),
  );

  constructor(private readonly deps: PipelineDeps) {}

  /**
   * Works through every call that is due, one pass at a time. After a contact sync
   * (`contactsChanged`), calls waiting for their contact are tried at once. `settleOnly` (Allo's
   * own integration logs the calls now): nothing new is posted, but copies of ours already written,
   * or perhaps written, are still settled against the integration's logs, so none is left twice.
   */
  run({ contactsChanged = false, settleOnly = false }: Partial<RunOptions> = {}): Promise<void> {
    return this.passes({ contactsChanged, settleOnly });
  }

  /** "Retry": back to pending, and tried at once. */
  async retry(alloId: string): Promise<void> {
    await this.deps.calls.update(alloId, (call) => {
      if (!ERROR_STATES.has(call.state) && call.state !== 'pending') return undefined;
      return {
        ...call,
        ...pressedRetry(call),
        // Strictly later than any earlier press: a pass holding a copy read before this one
        // recognises it (see `save`).
        retriedAt: Math.max(this.now(), (call.retriedAt ?? 0) + 1),
      };
    });
    await this.run();
  }

  /**
   * A contact was just made in Sellsy for this number (the side panel's "Create contact") and put
   * in the cache: the calls with it that wait as "Contact not found", or for their contact, are
   * matched again at once, as Retry would, and logged by the next pass like any other.
   */
  async contactAdded(e164: string): Promise<void> {
    const { calls } = this.deps;
    const ownerId = await this.deps.ownerId();
    const account = ownerId === undefined ? undefined : String(ownerId);
    // The contact is in this account's Sellsy: a call found under another account waits for that
    // account, and its "Contact not found" stays as that account left it (as in `runOnce`).
    const ours = (call: CallRecord) => call.account === undefined || account === undefined || call.account === account;
    const waitsForContact = (call: CallRecord) =>
      ours(call) && call.counterpart === e164 && (call.state === 'contact_not_found' || (call.state === 'pending' && call.waitingFor === 'contact'));
    const listed = [...(await calls.withState('contact_not_found')), ...(await calls.withState('pending'))].filter(waitsForContact);
    for (const call of listed) {
      await calls.update(call.alloId, (latest) =>
        waitsForContact(latest) ? { ...latest, ...pressedRetry(latest), retriedAt: Math.max(this.now(), (latest.retriedAt ?? 0) + 1) } : undefined,
      );
    }
    if (listed.length > 0) await this.run();
  }

  private async runOnce({ contactsChanged, settleOnly }: RunOptions): Promise<void> {
    const { calls } = this.deps;
    const ownerId = await this.deps.ownerId();
    const account = ownerId === undefined ? undefined : String(ownerId);
    // A call found under another Sellsy account is that account's: it waits for it.
    const ours = (call: CallRecord) => call.account === undefined || account === undefined || call.account === account;
    const waiting = [...(await calls.withState('pending')), ...(await calls.withState('integration_disconnected'))].filter(ours);
    for (const listed of waiting.sort((a, b) => a.date.localeCompare(b.date))) {
      // Read again: a call earlier in this pass may have taken back this one's guessed log
      // (`release`), and working from the copy listed before would write the guess back.
      const call = await this.latest(listed);
      if (call.state !== 'pending' && call.state !== 'integration_disconnected') continue;
      if (settleOnly) {
        if (call.targets.some((t) => t.state === 'posting')) await this.resolveUnknownPosts(call);
        continue;
      }
      const due = call.nextAttemptAt <= this.now() || (contactsChanged && call.waitingFor === 'contact');
      if (call.state === 'pending' && !due) continue;
      await this.process(call);
    }
    if (ownerId === undefined) return;
    for (const listed of (await calls.settleDue(this.now())).filter(ours)) await this.settleCall(await this.latest(listed));
    if (this.deps.notes) await this.resettle((await this.deps.notes.writeDue(ownerId, !settleOnly)).gone);
    // Summaries come from Allo, which is not read while the integration logs the calls.
    if (settleOnly) return;
    for (const call of await calls.since(this.now() - SUMMARY_WATCH_MS)) {
      if (call.state !== 'synced' || !call.summary || !ours(call)) continue;
      if (call.targets.some((t) => holdsOurs(t) && t.sellsyPhoneCallId !== undefined && t.postedSummary !== call.summary)) await this.updateSummaries(call);
    }
    await calls.pruneSyncedBefore(this.now() - KEEP_SYNCED_MS);
  }

  private async process(original: CallRecord): Promise<void> {
    let call: CallRecord = { ...original, targets: original.targets.map((t) => ({ ...t })) };
    try {
      const ownerId = await this.deps.ownerId();
      if (ownerId === undefined) throw new SellsyError('not-connected', 'Sellsy is not connected.');
      const endedAt = Date.parse(call.date) + (call.durationS ?? 0) * 1000;
      // A missed call gets no summary: only a call that was talked in waits for one.
      const summaryExpected = call.result !== null && (call.durationS ?? 0) > 0;
      if (summaryExpected && call.summary === null && this.now() - endedAt < SUMMARY_WAIT_MS && call.targets.every((t) => t.state === 'todo')) {
        await this.save({ ...call, state: 'pending', waitingFor: 'summary', nextAttemptAt: endedAt + SUMMARY_WAIT_MS });
        return;
      }
      if (call.targets.length === 0 || call.replan) {
        const matches = await this.matches(call);
        // A lead made for the call was saved on it meanwhile.
        call = { ...call, lead: (await this.deps.calls.get(call.alloId))?.lead ?? call.lead };
        if (matches.length === 0 && call.targets.length === 0) {
          await this.noMatch(call);
          return;
        }
        // After Retry, records already logged (or adopted) keep their target; a record not yet
        // covered gets one, even when it folds into an already logged contact.
        const covered = new Set(call.targets.flatMap((target) => target.related.map((r) => `${r.type}:${r.id}`)));
        const planned: CallLogTarget[] = [];
        for (const target of planTargets(matches, await this.companyOf(matches))) {
          const rest = target.related.filter((r) => !covered.has(`${r.type}:${r.id}`));
          if (rest.length === target.related.length) planned.push(target);
          else if (rest.length > 0) planned.push(await this.restTarget(target, rest));
        }
        call = await this.save({ ...call, targets: [...call.targets, ...planned], replan: false });
      }
      let waitUntil = 0;
      let deleted: SellsyError | undefined;
      const context = await this.context(call, ownerId);
      // A target may be split (part adopted, the rest posted): the loop runs over the targets as they grow.
      for (let i = 0; i < call.targets.length; i++) {
        if (isSettledOrGone(call.targets[i]!)) continue;
        try {
          const step = await this.postTarget(call, i, ownerId, context);
          call = step.call;
          waitUntil = Math.max(waitUntil, step.waitUntil ?? 0);
        } catch (error) {
          // A deleted record fails alone: the call still goes to the other records with the number.
          if (!(error instanceof SellsyError) || error.code !== 'not-found') throw error;
          deleted = error;
          call = await this.save(withTarget(call, i, { ...call.targets[i]!, state: 'gone' }));
        }
      }
      if (deleted && call.targets.every((t) => t.state === 'gone')) throw deleted;
      if (waitUntil > 0) {
        await this.save({ ...call, state: 'pending', waitingFor: 'retry', nextAttemptAt: waitUntil });
        return;
      }
      await this.save({ ...call, state: 'synced', waitingFor: undefined, error: undefined, attempts: 0, settleAt: settleAt(call.targets) });
    } catch (error) {
      await this.fail(call, error);
    }
  }

  /**
   * No record has the number. "Contact not found" only once the cache is complete: until the first
   * sync has finished (after a reconnection, or days of failing syncs) the number may be in Sellsy.
   */
  private async noMatch(call: CallRecord): Promise<void> {
    const complete = await this.deps.cache.isComplete();
    const explicitRetry = (call.retriedAt ?? 0) > 0 && this.now() - (call.retriedAt ?? 0) < 60_000;
    if (complete && (explicitRetry || this.now() - call.firstSeenAt >= NOT_FOUND_AFTER_MS)) {
      await this.save({
        ...call,
        state: 'contact_not_found',
        waitingFor: undefined,
        error: { code: 'contact_not_found', message: 'No Sellsy contact or company has this number.' },
      });
    } else {
      await this.save({ ...call, state: 'pending', waitingFor: 'contact', nextAttemptAt: this.now() + CONTACT_RETRY_MS });
    }
  }

  /** The records with the call's number; with the option on, a lead made for an unknown one. */
  private async matches(call: CallRecord): Promise<CachedRecord[]> {
    const matches = await this.deps.cache.findByNumber(call.counterpart);
    if (matches.length > 0 || !(await this.deps.settings()).createLeads) return matches;
    // Until the first sync is complete the number may well be in Sellsy: no lead yet.
    if (!(await this.deps.cache.isComplete())) return [];
    return [await this.createLead(call)];
  }

  /**
   * Each matched contact's company, when that company matched too. The cache knows a company's
   * main, invoicing and dunning contacts; any other contact is asked about, only when a company
   * and a contact share the number (one request per such contact).
   */
  private async companyOf(matches: CachedRecord[]) {
    const contacts = matches.filter((r) => r.kind === 'contact').map((r) => r.sellsyId);
    const companies = new Map(matches.filter((r) => r.kind === 'company').map((r) => [r.sellsyId, r]));
    const links = await this.deps.cache.companyLinks(contacts);
    if (companies.size > 0) {
      for (const contactId of contacts.filter((id) => !links.get(id) || !companies.has(links.get(id)!.companyId))) {
        const company = (await this.deps.sellsy.companiesOfContact(contactId)).map((id) => companies.get(id)).find(Boolean);
        if (company) links.set(contactId, { contactId, companyId: company.sellsyId, companyName: company.name });
      }
    }
    return (contactId: number) => links.get(contactId);
  }

  /**
   * The user's other calls around this one, whatever their number (a record may have several),
   * and the integration's Phone Calls they adopted: what the reconciler needs to give a guessed
   * log to one call only.
   */
  private async context(call: CallRecord, ownerId: number): Promise<Context> {
    const around = await this.deps.calls.around(Date.parse(call.date), 2 * INTEGRATION_START_TOLERANCE_MS);
    const nearby = around.filter((other) => other.alloId !== call.alloId);
    const claimed = new Map(nearby.flatMap((other) => other.targets.filter((t) => t.state === 'adopted').map((t) => [t.sellsyPhoneCallId!, other] as const)));
    return { ownerId, nearby, claimed };
  }

  /**
   * Another of the user's calls had adopted this Phone Call as a guess before this call, closer or
   * named by it, was known here: that call's target goes back to `todo` and is logged on its own
   * (or finds the copy another browser posted for it). Saved before the adoption that replaces it:
   * cut in between, that call finds the log is not its own and posts.
   */
  private async release(claimer: string, phoneCallId: number): Promise<void> {
    await this.deps.calls.update(claimer, (other) => {
      const index = other.targets.findIndex((t) => t.state === 'adopted' && t.sellsyPhoneCallId === phoneCallId);
      if (index < 0) return undefined;
      const target = other.targets[index]!;
      const released: CallLogTarget = {
        ...target,
        state: 'todo',
        sellsyPhoneCallId: undefined,
        postedAt: undefined,
        postedSummary: undefined,
        gaveBack: phoneCallId,
      };
      return { ...withTarget(other, index, released), state: 'pending', waitingFor: undefined, error: undefined, attempts: 0, nextAttemptAt: 0 };
    });
  }

  /**
   * Phone Calls of ours a note was to go into, found gone (deleted by another browser as a
   * redundant copy, or by a person): their targets are settled again at once, as after a late
   * summary, which finds the copy kept; the note follows it.
   */
  private async resettle(gone: number[]): Promise<void> {
    for (const id of gone) {
      const [call] = (await this.deps.calls.since(this.now() - KEEP_SYNCED_MS)).filter((c) =>
        c.targets.some((t) => holdsOurs(t) && t.sellsyPhoneCallId === id),
      );
      if (!call) continue;
      const targets = call.targets.map((t) =>
        holdsOurs(t) && t.sellsyPhoneCallId === id
          ? { ...t, state: 'posted' as const, postedAt: this.now() - SEARCH_SETTLE_MS, postedSummary: undefined, rechecked: undefined }
          : t,
      );
      await this.save({ ...call, targets, settleAt: settleAt(targets) });
    }
  }

  /**
   * Allo's integration logs the calls now, yet a POST of ours may have landed before the switch:
   * once Sellsy's search has caught up, a copy found is taken as ours (and settled like any other),
   * the integration's log is adopted, and a POST that left nothing is not made again.
   */
  private async resolveUnknownPosts(original: CallRecord): Promise<void> {
    let call = original;
    try {
      const ownerId = await this.deps.ownerId();
      if (ownerId === undefined) return;
      const context = await this.context(call, ownerId);
      for (let i = 0; i < call.targets.length; i++) {
        const target = call.targets[i]!;
        if (target.state !== 'posting') continue;
        const decision = decideUnposted(call, target, await this.phoneCallsOn(call, target, target.related), context, this.now());
        if (decision.do === 'take-ours') {
          call = await this.save(withTarget(call, i, { ...target, state: 'posted', sellsyPhoneCallId: decision.phoneCallId, postedAt: this.now() }));
        } else if ((decision.do === 'adopt' || decision.do === 'post') && this.now() >= lastPostOf(target) + SETTLE_RECHECK_MS) {
          // Nothing of ours landed: the integration logs the call, now or soon. Sellsy's search may
          // show a copy later than SEARCH_SETTLE_MS, and nothing looks at a `todo` target in this
          // mode: it is looked for as long as settling looks for late copies.
          call = await this.save(withTarget(call, i, { ...target, state: 'todo' }));
        }
      }
      await this.save({ ...call, settleAt: settleAt(call.targets) });
    } catch {
      // Sellsy unreachable for now: the next pass looks again.
    }
  }

  private async postTarget(call: CallRecord, index: number, ownerId: number, context: Context): Promise<{ call: CallRecord; waitUntil?: number }> {
    let target = call.targets[index]!;
    const seen = await this.phoneCallsOn(call, target, target.related);
    const decision = decideUnposted(call, target, seen, context, this.now());
    switch (decision.do) {
      case 'wait':
        return { call, waitUntil: decision.until };
      case 'take-ours':
        return {
          call: await this.save(
            withTarget(call, index, { ...target, state: 'posted', sellsyPhoneCallId: decision.phoneCallId, postedSummary: undefined, postedAt: this.now() }),
          ),
        };
      case 'adopt': {
        // The integration's Phone Call is the pair's; records it does not relate get one of ours.
        const adopted: CallLogTarget = {
          ...target,
          related: decision.covers,
          state: 'adopted',
          sellsyPhoneCallId: decision.phoneCallId,
          postedSummary: undefined,
          postedAt: this.now(),
        };
        if (decision.takenFrom) await this.release(decision.takenFrom, decision.phoneCallId);
        if (decision.exact) await this.deps.onIntegrationLog?.();
        const rest = decision.rest.length > 0 ? [await this.restTarget(target, decision.rest)] : [];
        const targets = [...call.targets.slice(0, index), adopted, ...rest, ...call.targets.slice(index + 1)];
        return { call: await this.save({ ...call, targets }) };
      }
      case 'post':
        break;
    }
    target = { ...target, state: 'todo' };
    call = await this.save(
      withTarget(call, index, { ...target, state: 'posting', firstAttemptAt: target.firstAttemptAt ?? this.now(), attemptAt: this.now() }),
    );
    let created: PhoneCall | null;
    try {
      created = await this.deps.sellsy.createPhoneCall(phoneCallBody(call, target, ownerId, this.deps.labels));
    } catch (error) {
      // A refusal (4xx) says nothing was stored; a 5xx, a timeout or a dropped answer says nothing.
      const refused = error instanceof SellsyError && error.status !== undefined && error.status >= 400 && error.status < 500;
      if (refused) await this.save(withTarget(call, index, { ...target, state: 'todo' }));
      throw error;
    }
    if (!created) {
      // Nothing was stored: a record the Phone Call relates is gone.
      await this.save(withTarget(call, index, { ...target, state: 'todo' }));
      return this.afterNotFound(call, index, ownerId, context);
    }
    return {
      call: await this.save(
        withTarget(call, index, { ...call.targets[index]!, state: 'posted', sellsyPhoneCallId: created.id, postedSummary: call.summary, postedAt: this.now() }),
      ),
    };
  }

  /** The records of a target that an adopted Phone Call leaves out, as a target of their own (a folded company). */
  private async restTarget(target: CallLogTarget, rest: Related[]): Promise<CallLogTarget> {
    const [first] = rest as [Related, ...Related[]];
    const company =
      first.type === 'company' && target.kind === 'contact' ? (await this.deps.cache.companyLinks([target.sellsyId])).get(target.sellsyId) : undefined;
    const name = company?.companyId === first.id ? company.companyName : target.name;
    return { key: recordKey(first.type, first.id), kind: first.type, sellsyId: first.id, name, related: rest, state: 'todo' };
  }

  /**
   * A 404 to the POST names no record: ask which related record is gone, and forget only that
   * one. When it is the record itself, "Contact deleted"; when it is only the company folded in,
   * the call is logged on the record alone.
   */
  private async afterNotFound(call: CallRecord, index: number, ownerId: number, context: Context): Promise<{ call: CallRecord; waitUntil?: number }> {
    const target = call.targets[index]!;
    const gone = await this.deps.sellsy.missingRecords(target.related);
    for (const record of gone) await this.deps.cache.remove(recordKey(record.type, record.id));
    const isGone = (r: CallLogTarget['related'][number]) => gone.some((g) => g.type === r.type && g.id === r.id);
    // Sellsy says nothing is missing: the 404 proves no deletion, so the call is tried again later.
    if (gone.length === 0) throw new SellsyError('server', `Sellsy answered 404 for ${target.name}, which it still has.`, 404);
    if (isGone(primaryOf(target))) throw new SellsyError('not-found', `${target.name} was deleted in Sellsy.`, 404);
    const related = target.related.filter((r) => !isGone(r));
    return this.postTarget(await this.save(withTarget(call, index, { ...target, state: 'todo', related })), index, ownerId, context);
  }

  /** Settles every `posted` target of a logged call whose copies can be settled now. */
  private async settleCall(original: CallRecord): Promise<void> {
    let call = original;
    try {
      const ownerId = await this.deps.ownerId();
      if (ownerId === undefined) return;
      const context = await this.context(call, ownerId);
      for (let i = 0; i < call.targets.length; i++) {
        const target = call.targets[i]!;
        const due = settleDueAt(target);
        if (due !== undefined && due <= this.now()) call = await this.settle(call, i, context);
      }
    } catch {
      // Sellsy unreachable or refusing for now: the target stays `posted` and the next pass tries again.
    }
    await this.save({ ...call, settleAt: settleAt(call.targets, this.now() + 60_000) });
  }

  /**
   * Carries out the reconciler's settling of one target (`decideSettle`): narrows and deletes
   * redundant copies of ours, then points the target at the Phone Call that logs its record. A
   * delete or narrowing Sellsy refuses makes that copy a kept one, and the decision is taken again.
   */
  private async settle(call: CallRecord, index: number, context: Context): Promise<CallRecord> {
    const target = call.targets[index]!;
    const seen = await this.phoneCallsOn(call, target, target.related);
    const undeletable = new Set<number>();
    for (;;) {
      const decision = decideSettle(call, target, seen, context, undeletable);
      let refused = false;
      for (const id of decision.remove) {
        if (!(await this.deleteCopy(id))) {
          undeletable.add(id);
          refused = true;
          break;
        }
      }
      if (refused) continue;
      for (const { phoneCallId, related } of decision.narrow) {
        if (!(await this.narrowCopy(phoneCallId, related))) {
          undeletable.add(phoneCallId);
          refused = true;
          break;
        }
      }
      if (refused) continue;
      if (decision.target.state === 'adopted') {
        const claimer = context.claimed.get(decision.target.phoneCallId);
        if (claimer) await this.release(claimer.alloId, decision.target.phoneCallId);
        await this.deps.onIntegrationLog?.();
        return this.save(withTarget(call, index, { ...target, state: 'adopted', sellsyPhoneCallId: decision.target.phoneCallId, postedSummary: undefined }));
      }
      // Nothing relates the record any more: a person deleted the Phone Call in Sellsy. Not posted again.
      const id = decision.target.phoneCallId;
      const postedSummary = id !== undefined && id === target.sellsyPhoneCallId ? target.postedSummary : undefined;
      // The first settling may have searched before another browser's copy was searchable: a
      // second one follows (`settleDueAt`).
      const rechecked = target.state === 'done' ? { rechecked: true as const } : {};
      return this.save(withTarget(call, index, { ...target, state: 'done', sellsyPhoneCallId: id, postedSummary, ...rechecked }));
    }
  }

  /** False when Sellsy refuses (the user may not edit it): the copy stays whole, as a kept one. */
  private async narrowCopy(id: number, related: Array<{ type: string; id: number }>): Promise<boolean> {
    try {
      await this.deps.sellsy.updatePhoneCallRelated(id, related);
      return true;
    } catch (error) {
      if (error instanceof SellsyError && error.code === 'forbidden') return false;
      throw error;
    }
  }

  /** False when Sellsy refuses (the user may not delete Phone Calls): the copy stays, the call is logged. */
  private async deleteCopy(id: number): Promise<boolean> {
    try {
      await this.deps.sellsy.deletePhoneCall(id);
      return true;
    } catch (error) {
      if (error instanceof SellsyError && error.code === 'forbidden') return false;
      throw error;
    }
  }

  /** Phone Calls related to these records since the call (or our first try, if earlier). */
  private async phoneCallsOn(call: CallRecord, target: CallLogTarget, records: CallLogTarget['related']): Promise<PhoneCall[]> {
    const since = new Date(Math.min(Date.parse(call.date), target.firstAttemptAt ?? Infinity) - CLOCK_MARGIN_MS).toISOString();
    const found = new Map<number, PhoneCall>();
    for (const record of records) {
      for (const copy of await this.deps.sellsy.searchPhoneCalls(record, since)) found.set(copy.id, copy);
    }
    return [...found.values()];
  }

  /** Rewrites the block of ours in each posted Phone Call with the summary Allo has now. */
  private async updateSummaries(call: CallRecord): Promise<void> {
    for (let i = 0; i < call.targets.length; i++) {
      const target = call.targets[i]!;
      const id = target.sellsyPhoneCallId;
      // An adopted Phone Call is the integration's: its text is not ours to rewrite.
      if (!holdsOurs(target) || id === undefined || target.postedSummary === call.summary) continue;
      let present: boolean;
      try {
        const current = await this.deps.sellsy.getPhoneCall(id);
        const description = current ? decideSummaryUpdate(current.description, call.alloId, describeCall(call, this.deps.labels)) : undefined;
        present = !!current && (description === undefined || (await this.deps.sellsy.updatePhoneCallDescription(id, description)));
      } catch (error) {
        // Sellsy unreachable for now: the next pass tries again. A refusal: the call was logged;
        // the late summary is let go.
        if (error instanceof SellsyError && ['network', 'server', 'rate-limited', 'revoked', 'not-connected'].includes(error.code)) return;
        present = true;
      }
      // Gone: deleted as another browser's redundant copy (or by a person). Settled again at once,
      // which finds the copy that was kept.
      const next: CallLogTarget = present
        ? { ...target, postedSummary: call.summary }
        : { ...target, state: 'posted', postedAt: this.now() - SEARCH_SETTLE_MS, postedSummary: undefined, rechecked: undefined };
      call = withTarget(call, i, next);
      call = await this.save({ ...call, settleAt: settleAt(call.targets) });
    }
  }

  /**
   * A Sellsy contact for an unknown number (option "Create lead for unknown calls"). Like a
   * Phone Call, a creation whose outcome is unknown is looked for (by phone) before a retry.
   */
  private async createLead(call: CallRecord): Promise<CachedRecord> {
    const { sellsy } = this.deps;
    // Looked for first: a lead this or another browser made, or a contact added since the sync.
    const existing = await sellsy.contactsWithNumber(call.counterpart);
    if (existing[0]) return this.cacheLead(call, existing[0]);
    await this.save({ ...call, lead: { state: 'creating', firstAttemptAt: call.lead?.firstAttemptAt ?? this.now() } });
    const lastName = call.counterpartName?.trim() || formatNational(call.counterpart);
    const created = await sellsy.createContact({ last_name: lastName, phone_number: call.counterpart });
    // Two browsers may both have created one: the lowest id stays, ours goes if it is not it.
    const [kept] = await sellsy.contactsWithNumber(call.counterpart);
    if (kept && kept.id !== created.id) {
      await sellsy.deleteContact(created.id);
      return this.cacheLead(call, kept);
    }
    return this.cacheLead(call, created);
  }

  private async cacheLead(call: CallRecord, contact: SellsyContact): Promise<CachedRecord> {
    const record = toCachedRecord('contact', { ...contact, phone_number: contact.phone_number ?? call.counterpart }, 'FR');
    if (!record) throw new SellsyError('invalid-response', 'Sellsy returned the new contact without its phone number.');
    await this.deps.cache.put(record);
    await this.save({ ...call, lead: { state: 'done', firstAttemptAt: call.lead?.firstAttemptAt ?? this.now(), sellsyId: contact.id } });
    return record;
  }

  private async fail(working: CallRecord, error: unknown): Promise<void> {
    // Every step was saved before the next began: the stored targets are the latest. The press of
    // Retry this pass started from is kept: one made since must not be taken as already seen.
    const stored = await this.deps.calls.get(working.alloId);
    const call = stored ? { ...stored, retriedAt: working.retriedAt } : working;
    if (!(error instanceof SellsyError)) {
      await this.save({
        ...call,
        state: 'failed',
        waitingFor: undefined,
        error: { code: 'failed', message: error instanceof Error ? error.message : String(error) },
      });
      return;
    }
    const attempts = call.attempts + 1;
    switch (error.code) {
      case 'revoked':
      case 'not-connected':
      case 'oauth':
        // Nothing is dropped: the call goes once Sellsy is reconnected.
        await this.save({
          ...call,
          state: 'integration_disconnected',
          waitingFor: 'reconnect',
          error: { code: error.code, message: 'Sellsy access was revoked; reconnect.' },
        });
        return;
      case 'rate-limited':
      case 'server':
      case 'network':
        await this.save({
          ...call,
          state: 'pending',
          waitingFor: 'retry',
          attempts,
          nextAttemptAt: this.now() + backoffMs(error, attempts),
          error: { code: error.code, message: error.message },
        });
        return;
      case 'not-found':
        await this.save({ ...call, state: 'contact_deleted', waitingFor: undefined, error: { code: 'contact_deleted', message: error.message } });
        return;
      case 'forbidden':
        await this.save({
          ...call,
          state: 'failed',
          waitingFor: undefined,
          error: { code: 'forbidden', message: 'Sellsy refused to log the call: reconnect Sellsy and grant access to phone calls (phonecalls.write).' },
        });
        return;
      default:
        await this.save({ ...call, state: 'failed', waitingFor: undefined, error: { code: error.code, message: error.message } });
    }
  }

  /**
   * Writes the pipeline's fields of the call in one read-modify-write: what the poller wrote
   * meanwhile (a summary, a corrected result) is kept. Returns the working copy with them.
   * Retry pressed since the pass read the call wins over the state the pass reached: the targets
   * the pass logged are kept, and the call is matched again and tried at once by the next pass.
   */
  private async save(call: CallRecord): Promise<CallRecord> {
    const stored = await this.deps.calls.update(call.alloId, (latest) => {
      const next: CallRecord = { ...latest };
      for (const field of PIPELINE_FIELDS) (next as unknown as Record<string, unknown>)[field] = call[field];
      return latest.retriedAt === call.retriedAt ? next : { ...next, ...pressedRetry(next), retriedAt: latest.retriedAt };
    });
    if (!stored) await this.deps.calls.put(call);
    return stored ? { ...stored, ...pick(call) } : call;
  }

  /** The call as stored now (what this pass listed may have been changed since by `release`). */
  private async latest(listed: CallRecord): Promise<CallRecord> {
    return (await this.deps.calls.get(listed.alloId)) ?? listed;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

/** What Retry does to a call: pending, due now, and matched again. */
function pressedRetry(call: CallRecord): Partial<CallRecord> {
  return {
    // Records that were never posted are matched again: the number may belong to others now.
    targets: call.targets.filter((target) => target.state !== 'todo' && target.state !== 'gone'),
    replan: true,
    state: 'pending',
    waitingFor: undefined,
    error: undefined,
    nextAttemptAt: 0,
    attempts: 0,
  };
}

function pick(call: CallRecord): Partial<CallRecord> {
  return Object.fromEntries(PIPELINE_FIELDS.map((field) => [field, call[field]]));
}

/** Nothing left to post: logged by a Phone Call of ours or the integration's, or the record is gone. */
function isSettledOrGone(target: CallLogTarget): boolean {
  return holdsOurs(target) || target.state === 'adopted' || target.state === 'gone';
}

function holdsOurs(target: CallLogTarget): boolean {
  return target.state === 'posted' || target.state === 'done';
}

/** When the target's last POST left. */
function lastPostOf(target: CallLogTarget): number {
  return target.attemptAt ?? target.firstAttemptAt ?? 0;
}

/** When a target is settled: `posted`, once Sellsy's search caught up; `done`, once more later. */
function settleDueAt(target: CallLogTarget): number | undefined {
  if (target.state === 'posted') return (target.postedAt ?? 0) + SEARCH_SETTLE_MS;
  if (target.state === 'done' && !target.rechecked && target.postedAt !== undefined) return target.postedAt + SETTLE_RECHECK_MS;
  return undefined;
}

/** When the earliest `posted` target can be settled; undefined when none is left. */
function settleAt(targets: CallLogTarget[], notBefore = 0): number | undefined {
  const due = targets.flatMap((t) => settleDueAt(t) ?? []).map((at) => Math.max(notBefore, at));
  return due.length > 0 ? Math.min(...due) : undefined;
}

function withTarget(call: CallRecord, index: number, target: CallLogTarget): CallRecord {
  return { ...call, targets: call.targets.map((t, i) => (i === index ? target : t)) };
}

function formatNational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}
