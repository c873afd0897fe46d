import type { SellsyForCalls } from '@/lib/calls/sellsy-for-calls';
import type { SellsyContact } from '@/lib/sellsy/contacts';
import { SellsyError } from '@/lib/sellsy/errors';
import type { Comment } from '@/lib/sellsy/comments';
import type { PhoneCall, PhoneCallCreate, RelatedRecord } from '@/lib/sellsy/phone-calls';

/**
 * An in-memory Sellsy as the call log sees it, for pipeline unit tests: Phone Calls with their
 * `related`, the records that exist, and a switch to refuse deletes. Contract-level behaviour
 * (HTTP, pagination, errors) is the local server's job (tests/servers).
 */
export class FakeSellsyForCalls implements SellsyForCalls {
  readonly phoneCalls = new Map<number, PhoneCall & { ownerId: number }>();
  /** `contact:12`, `company:7`: what exists; a Phone Call relating anything else is refused. */
  readonly records = new Set<string>();
  /** The user may not delete Phone Calls (Sellsy answers 403). */
  deleteForbidden = false;
  /** Sellsy's search lags behind its writes: a Phone Call is found only this long after it was written. */
  searchLagMs = 0;
  private readonly writtenAt = new Map<number, number>();
  private nextId = 9001;

  /** `now`: Sellsy's clock, for the search lag. */
  constructor(private readonly now: () => number = Date.now) {}

  addRecord(type: RelatedRecord['type'], id: number): void {
    this.records.add(`${type}:${id}`);
  }

  /**
   * A Phone Call another browser, a person or Allo's own Sellsy integration wrote (`at`: date,
   * source, duration, and the staff it is logged as: by default the user's, 42).
   */
  seed(related: RelatedRecord[], description: string, at: Pick<PhoneCall, 'date' | 'source' | 'duration' | 'ownerId'> = {}): PhoneCall {
    const call = { id: this.nextId++, description, related, ownerId: 42, ...at };
    this.phoneCalls.set(call.id, call);
    this.writtenAt.set(call.id, this.now());
    return call;
  }

  async searchPhoneCalls(record: RelatedRecord): Promise<PhoneCall[]> {
    const searchable = this.now() - this.searchLagMs;
    return [...this.phoneCalls.values()]
      .filter((call) => (this.writtenAt.get(call.id) ?? 0) <= searchable)
      .filter((call) => call.related.some((r) => r.type === record.type && r.id === record.id))
      .map((call) => ({ ...call, related: [...call.related] }));
  }

  async createPhoneCall(body: PhoneCallCreate): Promise<PhoneCall | null> {
    if (body.related.some((r) => !this.records.has(`${r.type}:${r.id}`))) return null;
    const call = {
      id: this.nextId++,
      description: body.description,
      related: body.related,
      ownerId: body.owner_id,
      date: body.date,
      source: body.source,
      duration: body.duration,
    };
    this.phoneCalls.set(call.id, call);
    this.writtenAt.set(call.id, this.now());
    return { ...call };
  }

  async getPhoneCall(id: number): Promise<PhoneCall | null> {
    const call = this.phoneCalls.get(id);
    return call ? { ...call } : null;
  }

  async updatePhoneCallDescription(id: number, description: string): Promise<boolean> {
    const call = this.phoneCalls.get(id);
    if (!call) return false;
    this.phoneCalls.set(id, { ...call, description });
    return true;
  }

  async updatePhoneCallRelated(id: number, related: ReadonlyArray<{ type: string; id: number }>): Promise<boolean> {
    this.relatedUpdates++;
    if (this.updateForbidden) throw new SellsyError('forbidden', 'You may not edit this phone call.', 403);
    const call = this.phoneCalls.get(id);
    // As Sellsy: a related contact, company or individual that is gone is a 404 (false); nothing related is a 400.
    if (related.length === 0) throw new SellsyError('request', 'related: This collection should contain 1 element or more.', 400);
    if (!call || related.some((r) => ['contact', 'company', 'individual'].includes(r.type) && !this.records.has(`${r.type}:${r.id}`))) return false;
    this.phoneCalls.set(id, { ...call, related: [...related] });
    return true;
  }

  /** Whether Sellsy refuses to change a Phone Call's related records (the user's rights). */
  updateForbidden = false;
  relatedUpdates = 0;

  async deletePhoneCall(id: number): Promise<boolean> {
    if (this.deleteForbidden) throw new SellsyError('forbidden', 'You may not delete phone calls.', 403);
    return this.phoneCalls.delete(id);
  }

  async contactsWithNumber(): Promise<SellsyContact[]> {
    return [];
  }

  async createContact(): Promise<SellsyContact> {
    throw new SellsyError('forbidden', 'Leads are not part of this fake.', 403);
  }

  async deleteContact(): Promise<boolean> {
    return false;
  }

  async companiesOfContact(): Promise<number[]> {
    return [];
  }

  async missingRecords(related: ReadonlyArray<RelatedRecord>): Promise<RelatedRecord[]> {
    return related.filter((r) => !this.records.has(`${r.type}:${r.id}`));
  }

  // Call notes (lib/notes/sellsy-for-notes.ts): the description (the fake keeps no result), and comments.
  readonly comments = new Map<number, Comment & { related: RelatedRecord }>();

  async updatePhoneCallNote(id: number, description: string): Promise<boolean> {
    return this.updatePhoneCallDescription(id, description);
  }

  async searchComments(record: RelatedRecord): Promise<Comment[]> {
    const searchable = this.now() - this.searchLagMs;
    return [...this.comments.values()]
      .filter((c) => c.related.type === record.type && c.related.id === record.id && (this.writtenAt.get(c.id) ?? 0) <= searchable)
      .map(({ id, description }) => ({ id, description }));
  }

  async createComment(record: RelatedRecord, description: string): Promise<Comment | null> {
    if (!this.records.has(`${record.type}:${record.id}`)) return null;
    const comment = { id: this.nextId++, description, related: { ...record } };
    this.comments.set(comment.id, comment);
    this.writtenAt.set(comment.id, this.now());
    return { id: comment.id, description };
  }

  async getComment(id: number): Promise<Comment | null> {
    const comment = this.comments.get(id);
    return comment ? { id: comment.id, description: comment.description } : null;
  }

  async deleteComment(id: number): Promise<boolean> {
    return this.comments.delete(id);
  }

  async updateComment(id: number, description: string): Promise<boolean> {
    const comment = this.comments.get(id);
    if (!comment) return false;
    this.comments.set(id, { ...comment, description });
    return true;
  }
}
