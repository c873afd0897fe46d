import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import * as v from 'valibot';
import type { RecordCache } from '../cache/records';
import type { CachedRecord, CallRecord, CallTarget } from '../cache/schema';
import { backoffMs, type SellsyClient } from '../sellsy/api-client';
import { toCachedRecord } from '../sellsy/crm-records';
import { SellsyError } from '../sellsy/errors';
import { onePassAtATime } from '../one-pass-at-a-time';
import type { CallStore } from './call-store';
import { describeCall, hasMarker, phoneCallBody, planTargets, type DescriptionLabels } from './phone-call-mapping';

export interface PipelineDeps {
  calls: CallStore;
  cache: RecordCache;
  sellsy: SellsyClient;
  /** The connected staff's id (the `owner_id` of every Phone Call), or undefined when not connected. */
  ownerId: () => Promise<number | undefined>;
  settings: () => Promise<{ createLeads: boolean }>;
  labels?: DescriptionLabels;
  now?: () => number;
}

export const SUMMARY_WAIT_MS = 15 * 60_000;
export const SUMMARY_WATCH_MS = 24 * 60 * 60_000;
export const NOT_FOUND_AFTER_MS = 24 * 60 * 60_000;
const CONTACT_RETRY_MS = 10 * 60_000;
const KEEP_SYNCED_MS = 30 * 24 * 60 * 60_000;
// Sellsy's `created` is its clock, not ours: searches for copies look this far back.
const CLOCK_MARGIN_MS = 10 * 60_000;

const PhoneCallReply = v.object({ id: v.number(), description: v.nullish(v.string()) });
const PhoneCallPage = v.object({
  pagination: v.object({ offset: v.union([v.string(), v.number()]) }),
  data: v.array(PhoneCallReply),
});
const ContactReply = v.object({ id: v.number(), first_name: v.nullish(v.string()), last_name: v.nullish(v.string()), phone_number: v.nullish(v.string()), mobile_number: v.nullish(v.string()), updated: v.nullish(v.string()) });
const ContactPage = v.object({ data: v.array(ContactReply) });
const ContactCompanies = v.object({ data: v.array(v.object({ id: v.number() })) });

const FILTER_BY_KIND = { contact: 'contacts', company: 'companies', individual: 'individuals' } as const;

/**
 * Logs each call on every matching Sellsy record exactly once (design.md, "Call-log states").
 * Every step is saved before the next starts; a target found in `posting` is searched for
 * before it is posted again, and copies made by a second browser are reduced to one.
 */
export class CallPipeline {
  private readonly passes = onePassAtATime<boolean>(
    (contactsChanged) => this.runOnce(contactsChanged),
    (a, b) => a || b,
  );

  constructor(private readonly deps: PipelineDeps) {}

  /**
   * Works through every call that is due, one pass at a time. After a contact sync
   * (`contactsChanged`), calls waiting for their contact are tried at once.
   */
  run({ contactsChanged = false } = {}): Promise<void> {
    return this.passes(contactsChanged);
  }

  /** "Retry": back to pending, and tried at once. */
  async retry(alloId: string): Promise<void> {
    const call = await this.deps.calls.get(alloId);
    if (!call || call.state === 'synced') return;
    // Records that were never posted are matched again: the number may belong to others now.
    const kept = call.targets.filter((target) => target.state !== 'todo');
    await this.save({ ...call, targets: kept, replan: true, state: 'pending', waitingFor: undefined, error: undefined, nextAttemptAt: 0, attempts: 0, retriedAt: this.now() });
    await this.run();
  }

  private async runOnce(contactsChanged: boolean): Promise<void> {
    const { calls } = this.deps;
    const waiting = [...(await calls.withState('pending')), ...(await calls.withState('integration_disconnected'))];
    for (const call of waiting.sort((a, b) => a.date.localeCompare(b.date))) {
      const due = call.nextAttemptAt <= this.now() || (contactsChanged && call.waitingFor === 'contact');
      if (call.state === 'pending' && !due) continue;
      await this.process(call);
    }
    for (const call of await calls.since(this.now() - SUMMARY_WATCH_MS)) {
      if (call.state !== 'synced' || !call.summary) continue;
      if (call.targets.some((t) => t.state === 'done' && t.postedSummary !== call.summary)) await this.updateSummaries(call);
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
          const explicitRetry = (call.retriedAt ?? 0) > 0 && this.now() - (call.retriedAt ?? 0) < 60_000;
          if (explicitRetry || this.now() - call.firstSeenAt >= NOT_FOUND_AFTER_MS) {
            await this.save({ ...call, state: 'contact_not_found', waitingFor: undefined, error: { code: 'contact_not_found', message: 'No Sellsy contact or company has this number.' } });
          } else {
            await this.save({ ...call, state: 'pending', waitingFor: 'contact', nextAttemptAt: this.now() + CONTACT_RETRY_MS });
          }
          return;
        }
        const known = new Set(call.targets.map((target) => target.key));
        const planned = planTargets(matches, await this.companyOf(matches)).filter((target) => !known.has(target.key));
        call = { ...call, targets: [...call.targets, ...planned], replan: false };
        await this.save(call);
      }
      for (let i = 0; i < call.targets.length; i++) {
        if (call.targets[i]!.state === 'done') continue;
        call = await this.postTarget(call, i, ownerId);
      }
      await this.save({ ...call, state: 'synced', waitingFor: undefined, error: undefined, attempts: 0 });
    } catch (error) {
      await this.fail(call, error);
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
        const reply = await this.deps.sellsy.request('GET', `/contacts/${contactId}/companies`, ContactCompanies, undefined, { attempts: 3 });
        const company = reply.data.map((c) => companies.get(c.id)).find(Boolean);
        if (company) links.set(contactId, { contactId, companyId: company.sellsyId, companyName: company.name });
      }
    }
    return (contactId: number) => links.get(contactId);
  }

  private async postTarget(call: CallRecord, index: number, ownerId: number): Promise<CallRecord> {
    let target = call.targets[index]!;
    if (target.state === 'posting') {
      // The last POST's outcome is unknown (stopped worker, timeout, dropped connection).
      const copies = await this.copiesOf(call, target);
      if (copies.length > 0) return this.settle(call, index, copies, copies[0]!.id);
      target = { ...target, state: 'todo' };
    }
    call = await this.save(withTarget(call, index, { ...target, state: 'posting', firstAttemptAt: target.firstAttemptAt ?? this.now() }));
    let created: { id: number };
    try {
      created = await this.deps.sellsy.request('POST', '/phone-calls', PhoneCallReply, phoneCallBody(call, target, ownerId, this.deps.labels));
    } catch (error) {
      if (error instanceof SellsyError && error.code === 'not-found') {
        // Sellsy no longer has the record: nothing was created.
        await this.deps.cache.remove(target.key);
        await this.save(withTarget(call, index, { ...target, state: 'todo' }));
        throw new SellsyError('not-found', `${target.name} was deleted in Sellsy.`, 404);
      }
      throw error;
    }
    // Still `posting` until the copies are settled: if that is cut short, the next pass searches
    // again instead of trusting an id that a second browser's cleanup may have deleted.
    call = await this.save(withTarget(call, index, { ...call.targets[index]!, sellsyPhoneCallId: created.id, postedSummary: call.summary }));
    // A second browser of the same user may have posted this call too: keep the oldest copy.
    return this.settle(call, index, await this.copiesOf(call, call.targets[index]!), created.id);
  }

  /** Keeps the lowest-id copy, deletes the others, and records which one is ours. */
  private async settle(call: CallRecord, index: number, copies: Array<{ id: number; description?: string | null }>, fallbackId: number): Promise<CallRecord> {
    const sorted = [...copies].sort((a, b) => a.id - b.id);
    const kept = sorted[0];
    for (const extra of sorted.slice(1)) {
      await this.deps.sellsy.request('DELETE', `/phone-calls/${extra.id}`, v.unknown(), undefined, { attempts: 3 }).catch((error) => {
        if (!(error instanceof SellsyError && error.code === 'not-found')) throw error;
      });
    }
    const target = call.targets[index]!;
    // What a copy posted by another browser says is not known here: left unknown, so a summary
    // the call has is written over it (an update that changes nothing at worst).
    const postedSummary = !kept || kept.id === target.sellsyPhoneCallId ? target.postedSummary : undefined;
    return this.save(withTarget(call, index, { ...target, state: 'done', sellsyPhoneCallId: kept?.id ?? fallbackId, postedSummary }));
  }

  /** Phone Calls on the target's record that carry this call's marker. */
  private async copiesOf(call: CallRecord, target: CallTarget): Promise<Array<{ id: number; description?: string | null }>> {
    const start = new Date(Math.min(Date.parse(call.date), target.firstAttemptAt ?? Infinity) - CLOCK_MARGIN_MS).toISOString();
    const filters = { [FILTER_BY_KIND[target.kind]]: [target.sellsyId], created: { start } };
    const found: Array<{ id: number; description?: string | null }> = [];
    let offset: string | undefined;
    for (let page = 0; page < 20; page++) {
      const query = new URLSearchParams({ limit: '100', ...(offset ? { offset } : {}) });
      const reply = await this.deps.sellsy.request('POST', `/phone-calls/search?${query}`, PhoneCallPage, { filters }, { attempts: 3 });
      found.push(...reply.data.filter((item) => hasMarker(item.description, call.alloId)));
      if (reply.data.length < 100) break;
      offset = String(reply.pagination.offset);
    }
    return found;
  }

  private async updateSummaries(call: CallRecord): Promise<void> {
    for (let i = 0; i < call.targets.length; i++) {
      const target = call.targets[i]!;
      if (target.state !== 'done' || target.sellsyPhoneCallId === undefined || target.postedSummary === call.summary) continue;
      try {
        await this.deps.sellsy.request('PUT', `/phone-calls/${target.sellsyPhoneCallId}`, PhoneCallReply, { description: describeCall(call, this.deps.labels) });
      } catch (error) {
        // Sellsy unreachable for now: the next pass tries again. Anything else (the Phone Call
        // was deleted in Sellsy, a refusal): the call was logged; the late summary is let go.
        if (error instanceof SellsyError && ['network', 'server', 'rate-limited', 'revoked', 'not-connected'].includes(error.code)) return;
      }
      call = await this.save(withTarget(call, i, { ...target, postedSummary: call.summary }));
    }
  }

  /**
   * A Sellsy contact for an unknown number (option "Create lead for unknown calls"). Like a
   * Phone Call, a creation whose outcome is unknown is looked for (by phone) before a retry.
   */
  private async createLead(call: CallRecord): Promise<CachedRecord> {
    // Looked for first: a lead this or another browser made, or a contact added since the sync.
    const existing = await this.contactsWithNumber(call.counterpart);
    if (existing[0]) return this.cacheLead(call, existing[0]);
    await this.save({ ...call, lead: { state: 'creating', firstAttemptAt: call.lead?.firstAttemptAt ?? this.now() } });
    const lastName = call.counterpartName?.trim() || formatNational(call.counterpart);
    const created = await this.deps.sellsy.request('POST', '/contacts', ContactReply, { last_name: lastName, phone_number: call.counterpart });
    // Two browsers may both have created one: the lowest id stays, ours goes if it is not it.
    const [kept] = await this.contactsWithNumber(call.counterpart);
    if (kept && kept.id !== created.id) {
      await this.deps.sellsy.request('DELETE', `/contacts/${created.id}`, v.unknown(), undefined, { attempts: 3 }).catch((error) => {
        if (!(error instanceof SellsyError && error.code === 'not-found')) throw error;
      });
      return this.cacheLead(call, kept);
    }
    return this.cacheLead(call, created);
  }

  /** Sellsy contacts whose phone or mobile is exactly this E.164 number, lowest id first. */
  private async contactsWithNumber(e164: string): Promise<Array<v.InferOutput<typeof ContactReply>>> {
    const found = new Map<number, v.InferOutput<typeof ContactReply>>();
    for (const field of ['phone_number', 'mobile_number'] as const) {
      const reply = await this.deps.sellsy.request('POST', '/contacts/search?limit=100', ContactPage, { filters: { [field]: e164 } }, { attempts: 3 });
      for (const contact of reply.data) found.set(contact.id, contact);
    }
    return [...found.values()].sort((a, b) => a.id - b.id);
  }

  private async cacheLead(call: CallRecord, contact: v.InferOutput<typeof ContactReply>): Promise<CachedRecord> {
    const record = toCachedRecord('contact', { ...contact, phone_number: contact.phone_number ?? call.counterpart }, 'FR');
    if (!record) throw new SellsyError('invalid-response', 'Sellsy returned the new contact without its phone number.');
    await this.deps.cache.put(record);
    await this.save({ ...call, lead: { state: 'done', firstAttemptAt: call.lead?.firstAttemptAt ?? this.now(), sellsyId: contact.id } });
    return record;
  }

  private async fail(call: CallRecord, error: unknown): Promise<void> {
    const latest = (await this.deps.calls.get(call.alloId)) ?? call;
    if (!(error instanceof SellsyError)) {
      await this.save({ ...latest, state: 'failed', waitingFor: undefined, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } });
      return;
    }
    const attempts = latest.attempts + 1;
    switch (error.code) {
      case 'revoked':
      case 'not-connected':
        // Nothing is dropped: the call goes once Sellsy is reconnected.
        await this.save({ ...latest, state: 'integration_disconnected', waitingFor: 'reconnect', error: { code: error.code, message: 'Sellsy access was revoked; reconnect.' } });
        return;
      case 'rate-limited':
      case 'server':
      case 'network':
        await this.save({ ...latest, state: 'pending', waitingFor: 'retry', attempts, nextAttemptAt: this.now() + backoffMs(error, attempts), error: { code: error.code, message: error.message } });
        return;
      case 'not-found':
        await this.save({ ...latest, state: 'contact_deleted', waitingFor: undefined, error: { code: 'contact_deleted', message: error.message } });
        return;
      case 'forbidden':
        await this.save({ ...latest, state: 'failed', waitingFor: undefined, error: { code: 'forbidden', message: 'Sellsy refused to log the call: reconnect Sellsy and grant access to phone calls (phonecalls.write).' } });
        return;
      default:
        await this.save({ ...latest, state: 'failed', waitingFor: undefined, error: { code: error.code, message: error.message } });
    }
  }

  private async save(call: CallRecord): Promise<CallRecord> {
    await this.deps.calls.put(call);
    return call;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

function withTarget(call: CallRecord, index: number, target: CallTarget): CallRecord {
  return { ...call, targets: call.targets.map((t, i) => (i === index ? target : t)) };
}

function formatNational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}
