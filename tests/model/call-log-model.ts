import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { AlloClient } from '@/lib/allo/api-client';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord, RecordKind } from '@/lib/cache/schema';
import { CallPoller, upgradePollState } from '@/lib/calls/call-poller';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { hasOwnBlock } from '@/lib/calls/description-block';
import { CallPipeline } from '@/lib/calls/pipeline';
import type { SellsyForCalls } from '@/lib/calls/sellsy-for-calls';
import { NoteWriter } from '@/lib/notes/note-writer';
import type { SellsyForNotes } from '@/lib/notes/sellsy-for-notes';
import { withoutNoteBlocks } from '@/lib/notes/note-block';
import { SellsyError } from '@/lib/sellsy/errors';
import type { PhoneCall } from '@/lib/sellsy/phone-calls';
import type { AlloServer } from '../servers/allo';
import type { CallItem } from '../servers/allo-calls';
import { FakeSellsyForCalls } from '../support/fake-sellsy-for-calls';
import { MemoryNotes } from '../support/memory-notes';

/**
 * A model of a sales team's day around the call log: the real poller, pipeline and call store of
 * two browsers of one user, against the local Allo server and the in-memory Sellsy that the
 * contract test keeps in step with the local Sellsy server. A history is a list of events —
 * my calls and a colleague's on shared numbers, redials, Allo's own Sellsy integration logging
 * some calls (late, with or without the recording link that names the call, under the caller),
 * Sellsy's search lagging, 429s and 500s, workers stopped at any Sellsy request (after the write,
 * or before), people writing in or deleting Phone Calls, records deleted, late summaries, Retry
 * pressed during a pass, an update from the first release's stored poll position, notes typed in
 * the side panel and edited (lib/notes) — then a quiet time, and an oracle checks the promise of
 * the call log and of the notes.
 */

export const ME = { alloUser: 'usr-camille4242', staff: 42 };
export const COLLEAGUE = { alloUser: 'usr-julien1717', staff: 77 };
/** N0: contact 1 and its company 10; N1: contacts 2 and 3; N2: contact 3 only; N3: nobody. */
export const NUMBERS = ['+33611000001', '+33611000002', '+33611000003', '+33611000009'] as const;
const START = Date.parse('2026-11-30T09:00:00Z');
/** The shortest time between the end of one of my calls and the start of my next. */
const MIN_REDIAL_S = 5;

interface WorldRecord {
  kind: RecordKind;
  id: number;
  phones: number[];
}
const RECORDS: WorldRecord[] = [
  { kind: 'contact', id: 1, phones: [0] },
  { kind: 'company', id: 10, phones: [0] },
  { kind: 'contact', id: 2, phones: [1] },
  { kind: 'contact', id: 3, phones: [1, 2] },
];

export type ModelEvent =
  | { t: 'call'; who: 'me' | 'colleague'; number: number; direction: 'INBOUND' | 'OUTBOUND'; durationS: number; gapS: number; listedLate: boolean }
  | { t: 'integration'; pick: number; link: boolean; jitterS: number }
  | { t: 'pass'; browser: number; stopAt?: { op: number; afterWrite: boolean } }
  /** The browser's extension is updated from a release that stored its poll position in an older shape. */
  | { t: 'update'; browser: number }
  /** The user presses Retry on one of their calls: between passes, or during one, at a Sellsy request. */
  | { t: 'retry'; browser: number; pick: number; duringOp?: number }
  | { t: 'tick'; s: number }
  | { t: 'fault'; browser: number; kind: 'rate-limited' | 'server' }
  | { t: 'edit'; pick: number }
  | { t: 'personDelete'; pick: number }
  | { t: 'summary'; pick: number }
  /** In the first browser's side panel, the user types a note on one of their calls (or edits it). */
  | { t: 'note'; pick: number }
  | { t: 'deleteRecord'; id: 2 | 3 }
  | { t: 'lag'; ms: number };

export interface History {
  /** What the second browser's cache lacks: it synced before these were added or linked. */
  second: { lacksContact3: boolean; lacksCompany: boolean; lacksLink: boolean };
  events: ModelEvent[];
}

const callEvent = fc.record({
  t: fc.constant('call' as const),
  who: fc.constantFrom<'me' | 'colleague'>('me', 'me', 'colleague'),
  number: fc.constantFrom(0, 0, 1, 1, 2, 3),
  direction: fc.constantFrom<'INBOUND' | 'OUTBOUND'>('INBOUND', 'OUTBOUND'),
  // 0 s: missed. Short gaps make redials, and a colleague's call at the same moment as mine.
  durationS: fc.constantFrom(0, 0, 45, 90),
  gapS: fc.constantFrom(0, 1, 30, 59, 120, 600),
  // Allo may list a call only after later ones (until the next tick): browsers then learn of a
  // missed call and its redial in different orders.
  listedLate: fc.constantFrom(false, false, false, true),
});

const event: fc.Arbitrary<ModelEvent> = fc.oneof(
  { weight: 5, arbitrary: callEvent },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('integration' as const), pick: fc.nat(20), link: fc.boolean(), jitterS: fc.constantFrom(0, 0, 1) }) },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        t: fc.constant('pass' as const),
        browser: fc.constantFrom(0, 1),
        stopAt: fc.record({ op: fc.nat(8), afterWrite: fc.boolean() }),
      },
      { requiredKeys: ['t', 'browser'] },
    ),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('tick' as const), s: fc.constantFrom(10, 60, 130, 900) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('update' as const), browser: fc.constantFrom(0, 1) }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { t: fc.constant('retry' as const), browser: fc.constantFrom(0, 1), pick: fc.nat(20), duringOp: fc.nat(6) },
      { requiredKeys: ['t', 'browser', 'pick'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('fault' as const),
      browser: fc.constantFrom(0, 1),
      kind: fc.constantFrom<'rate-limited' | 'server'>('rate-limited', 'server'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('edit' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('personDelete' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('summary' as const), pick: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('note' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deleteRecord' as const), id: fc.constantFrom<2 | 3>(2, 3) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('lag' as const), ms: fc.constantFrom(0, 30_000, 150_000) }) },
);

export const historyArb: fc.Arbitrary<History> = fc.record({
  second: fc.record({ lacksContact3: fc.boolean(), lacksCompany: fc.boolean(), lacksLink: fc.boolean() }),
  events: fc.array(event, { minLength: 5, maxLength: 40 }),
});

export interface Figures {
  histories: number;
  calls: number;
  pairs: number;
  lost: number;
  duplicated: number;
  foreignTouched: number;
  editsLost: number;
  stuck: number;
  /** Pairs with an integration log that does not name the call (a missed call's) that Sellsy showed only after ours was written: kept beside ours, by design (a guess never deletes). */
  unprovenDoubles: number;
  /** Pairs with more than one Phone Call because a person had written in the extra copies of ours before they could be settled (two browsers' copies, or ours beside the integration's named log). */
  keptForNotes: number;
  adopted: number;
  /** Call notes typed in the panel; pairs of a noted call where the note's latest text is not exactly once; notes in a Phone Call or comment not theirs, or stale. */
  notes: number;
  notesLost: number;
  notesDuplicated: number;
  notesMisplaced: number;
}

export function emptyFigures(): Figures {
  return {
    histories: 0,
    calls: 0,
    pairs: 0,
    lost: 0,
    duplicated: 0,
    foreignTouched: 0,
    editsLost: 0,
    stuck: 0,
    unprovenDoubles: 0,
    keptForNotes: 0,
    adopted: 0,
    notes: 0,
    notesLost: 0,
    notesDuplicated: 0,
    notesMisplaced: 0,
  };
}

/** One Sellsy request of one worker: it may fail once (429, 500) or stop the worker dead. */
class WorkerSellsy implements SellsyForCalls, SellsyForNotes {
  ops = 0;
  fault: 'rate-limited' | 'server' | undefined;
  stopAt: { op: number; afterWrite: boolean } | undefined;
  stopped = false;
  onStop: () => void = () => undefined;
  /** Called before each request with its number (a press of Retry lands there). */
  onRequest: (n: number) => void = () => undefined;
  requests = 0;

  constructor(private readonly sellsy: FakeSellsyForCalls) {}

  private async step<T>(write: boolean, run: () => Promise<T>): Promise<T> {
    if (this.stopped) return new Promise<T>(() => undefined);
    this.onRequest(this.requests++);
    if (this.fault) {
      const kind = this.fault;
      this.fault = undefined;
      throw new SellsyError(kind, `Sellsy answered ${kind}.`, kind === 'rate-limited' ? 429 : 500);
    }
    if (this.stopAt && this.ops++ >= this.stopAt.op) {
      // The worker stops here: before the request left, or after Sellsy stored it (the answer is lost).
      if (write && this.stopAt.afterWrite) await run();
      this.stopped = true;
      this.onStop();
      return new Promise<T>(() => undefined);
    }
    return run();
  }

  searchPhoneCalls: SellsyForCalls['searchPhoneCalls'] = (r) => this.step(false, () => this.sellsy.searchPhoneCalls(r));
  createPhoneCall: SellsyForCalls['createPhoneCall'] = (b) => this.step(true, () => this.sellsy.createPhoneCall(b));
  getPhoneCall: SellsyForCalls['getPhoneCall'] = (id) => this.step(false, () => this.sellsy.getPhoneCall(id));
  updatePhoneCallDescription: SellsyForCalls['updatePhoneCallDescription'] = (id, d) => this.step(true, () => this.sellsy.updatePhoneCallDescription(id, d));
  updatePhoneCallRelated: SellsyForCalls['updatePhoneCallRelated'] = (id, r) => this.step(true, () => this.sellsy.updatePhoneCallRelated(id, r));
  deletePhoneCall: SellsyForCalls['deletePhoneCall'] = (id) => this.step(true, () => this.sellsy.deletePhoneCall(id));
  contactsWithNumber: SellsyForCalls['contactsWithNumber'] = () => this.step(false, () => this.sellsy.contactsWithNumber());
  createContact: SellsyForCalls['createContact'] = () => this.step(true, () => this.sellsy.createContact());
  deleteContact: SellsyForCalls['deleteContact'] = () => this.step(true, () => this.sellsy.deleteContact());
  companiesOfContact: SellsyForCalls['companiesOfContact'] = () => this.step(false, () => this.sellsy.companiesOfContact());
  missingRecords: SellsyForCalls['missingRecords'] = (r) => this.step(false, () => this.sellsy.missingRecords(r));
  updatePhoneCallNote: SellsyForNotes['updatePhoneCallNote'] = (id, d) => this.step(true, () => this.sellsy.updatePhoneCallNote(id, d));
  searchComments: SellsyForNotes['searchComments'] = (r) => this.step(false, () => this.sellsy.searchComments(r));
  createComment: SellsyForNotes['createComment'] = (r, d) => this.step(true, () => this.sellsy.createComment(r, d));
  updateComment: SellsyForNotes['updateComment'] = (id, d) => this.step(true, () => this.sellsy.updateComment(id, d));
  deleteComment: SellsyForNotes['deleteComment'] = (id) => this.step(true, () => this.sellsy.deleteComment(id));
  getComment: SellsyForNotes['getComment'] = (id) => this.step(false, () => this.sellsy.getComment(id));
}

let dbCount = 0;

/** One browser of the user: its database survives its workers; each worker has its own parts. */
class ModelBrowser {
  private readonly dbName = `model-${++dbCount}`;
  readonly db = openCacheDb(this.dbName);
  readonly cache = new RecordCache(this.db);
  readonly calls = new CallStore(this.db);
  /** The side panel's notes, in the browser's storage: they survive its workers. */
  readonly notes = new MemoryNotes();
  /** The stored poll position, in whatever shape it was written (see `update`). */
  private pollStored: unknown = null;
  private polledOnce = false;
  private worker: ReturnType<ModelBrowser['start']>;
  pendingFault: 'rate-limited' | 'server' | undefined;

  constructor(
    private readonly world: World,
    readonly knows: (record: WorldRecord) => boolean,
    readonly knowsLink: boolean,
  ) {
    this.worker = this.start();
  }

  private start() {
    const sellsy = new WorkerSellsy(this.world.sellsy);
    const now = () => this.world.clock;
    const poller = new CallPoller({
      allo: new AlloClient({ apiUrl: this.world.allo.apiUrl, apiKey: async () => 'allo-sandbox-key' }),
      calls: this.calls,
      loadState: async () => upgradePollState(this.pollStored),
      saveState: async (state) => {
        this.pollStored = state;
      },
      now,
    });
    const pipeline = new CallPipeline({
      calls: this.calls,
      cache: this.cache,
      sellsy,
      ownerId: async () => ME.staff,
      settings: async () => ({ createLeads: false }),
      notes: new NoteWriter({ notes: this.notes, calls: this.calls, cache: this.cache, sellsy, now }),
      now,
    });
    return { sellsy, poller, pipeline };
  }

  async fillCache(): Promise<void> {
    for (const kind of ['company', 'individual', 'contact'] as const) {
      const put: CachedRecord[] = RECORDS.filter((r) => r.kind === kind && this.knows(r)).map((r) => ({
        key: `${r.kind}:${r.id}`,
        kind: r.kind,
        sellsyId: r.id,
        name: `${r.kind} ${r.id}`,
        phones: r.phones.map((i) => NUMBERS[i]!),
        rawPhones: [],
        updated: '',
      }));
      const companies = kind === 'company' && this.knowsLink ? [{ companyId: 10, links: [{ contactId: 1, companyId: 10, companyName: 'company 10' }] }] : [];
      await this.cache.writePage({ kind, put, remove: [], companies }, () => ({
        cursor: null,
        done: true,
        seen: put.length,
        startedAt: START,
        reconciledAt: START,
      }));
    }
  }

  /** Looks for calls, then logs them; a planned stop ends this worker wherever it is. */
  async pass(stopAt?: { op: number; afterWrite: boolean }): Promise<void> {
    const { sellsy, poller, pipeline } = this.worker;
    sellsy.stopAt = stopAt;
    sellsy.fault = this.pendingFault;
    this.pendingFault = undefined;
    const stopped = new Promise<void>((resolve) => {
      sellsy.onStop = resolve;
    });
    // As in the extension, a poll with no position starts at "now": the first one, at the
    // connection an hour before the day; any later one would skip the calls made meanwhile.
    await poller.poll(ME.alloUser, this.polledOnce ? this.world.clock : START - 3600_000, String(ME.staff));
    this.polledOnce = true;
    await Promise.race([pipeline.run(), stopped]);
    // A worker that stopped is gone; Chrome starts a new one, on the same database, later.
    if (sellsy.stopped) this.worker = this.start();
    sellsy.stopAt = undefined;
  }

  /**
   * The extension is updated from its first release: the worker restarts on a poll position
   * stored in that release's shape (`{userId, watermark}`) — calls made since must still come.
   */
  update(): void {
    const state = upgradePollState(this.pollStored);
    if (state) this.pollStored = { userId: state.userId, watermark: state.watermark };
    this.worker = this.start();
  }

  /** Retry on a call: at once, or pressed while a pass makes its `duringOp`-th Sellsy request. */
  async retry(alloId: string, duringOp: number | undefined): Promise<void> {
    const { sellsy, pipeline } = this.worker;
    if (duringOp === undefined) {
      await pipeline.retry(alloId);
      return;
    }
    let pressed: Promise<void> | undefined;
    const at = sellsy.requests + duringOp;
    sellsy.onRequest = (n) => {
      if (n === at) pressed = pipeline.retry(alloId);
    };
    await this.pass();
    sellsy.onRequest = () => undefined;
    await pressed;
  }
}

interface IntegrationLog {
  alloId: string;
  /** It names the call (the recording link). */
  exact: boolean;
  writtenAt: number;
}

class World {
  clock = START;
  readonly sellsy = new FakeSellsyForCalls(() => this.clock);
  readonly integration = new Map<number, IntegrationLog>();
  /** Phone Calls not ours, as written: none may be changed or deleted by the extension. */
  readonly foreign = new Map<number, PhoneCall>();
  readonly notes: Array<{ phoneCallId: number; text: string }> = [];
  /** (call, record) pairs whose Phone Call a person deleted: not to be logged again. */
  readonly personDeleted = new Set<string>();
  readonly deletedRecords = new Set<string>();
  readonly calls: CallItem[] = [];
  /** Calls made but not listed by Allo's search yet (`listedLate`). */
  readonly unlisted: Array<() => CallItem> = [];

  constructor(readonly allo: AlloServer) {
    for (const r of RECORDS) this.sellsy.addRecord(r.kind, r.id);
  }

  recordsWith(numberIndex: number): WorldRecord[] {
    return RECORDS.filter((r) => r.phones.includes(numberIndex) && !this.deletedRecords.has(`${r.kind}:${r.id}`));
  }

  /** Allo lists the calls it was late with. */
  list(): void {
    for (const add of this.unlisted.splice(0)) this.calls.push(add());
  }

  ourCopies(): Array<PhoneCall & { ownerId: number }> {
    return [...this.sellsy.phoneCalls.values()].filter((p) => !this.foreign.has(p.id));
  }
}

/** Runs one history and its quiet time; returns the oracle's figures for it. */
export async function runHistory(allo: AlloServer, history: History): Promise<Figures> {
  allo.calls.clear();
  const world = new World(allo);
  allo.calls.now = () => new Date(world.clock);
  const browsers = [
    new ModelBrowser(world, () => true, true),
    new ModelBrowser(
      world,
      (r) => !(r.kind === 'contact' && r.id === 3 && history.second.lacksContact3) && !(r.kind === 'company' && history.second.lacksCompany),
      !history.second.lacksLink,
    ),
  ];
  for (const browser of browsers) await browser.fillCache();
  let edits = 0;
  let noteEdits = 0;
  // One person's calls do not overlap: my next call starts a few seconds after my last one ended
  // at the earliest (a redial). A colleague's may start at the very second mine does.
  let myLineFreeAt = 0;

  for (const e of history.events) {
    switch (e.t) {
      case 'call': {
        world.clock += e.gapS * 1000;
        if (e.who === 'me') {
          world.clock = Math.max(world.clock, myLineFreeAt);
          myLineFreeAt = world.clock + (e.durationS + MIN_REDIAL_S) * 1000;
        }
        const user = e.who === 'me' ? ME : COLLEAGUE;
        const date = new Date(world.clock);
        const add = () =>
          allo.calls.add({
            user_id: user.alloUser,
            contact_number: NUMBERS[e.number],
            direction: e.direction,
            date,
            duration: e.durationS,
            result: e.durationS > 0 ? 'ANSWERED' : null,
            summary: null,
          });
        if (e.listedLate) world.unlisted.push(add);
        else world.calls.push(add());
        break;
      }
      case 'integration': {
        const item = world.calls[e.pick % Math.max(1, world.calls.length)];
        if (!item || [...world.integration.values()].some((l) => l.alloId === item.id)) break;
        const contact = world.recordsWith(NUMBERS.indexOf(item.contact_number as (typeof NUMBERS)[number])).find((r) => r.kind === 'contact');
        if (!contact) break;
        const exact = e.link && item.recording_url !== null;
        const p = world.sellsy.seed(
          [{ type: 'contact', id: contact.id }],
          [`Appel Allo ${item.direction === 'INBOUND' ? 'entrant' : 'sortant'}`, item.summary ?? '', exact ? item.recording_url : '']
            .filter(Boolean)
            .join('\n'),
          {
            date: new Date(Date.parse(item.date) + e.jitterS * 1000).toISOString(),
            source: item.direction === 'INBOUND' ? 'incoming' : 'outcoming',
            duration: item.duration ?? 0,
            ownerId: item.user.id === ME.alloUser ? ME.staff : COLLEAGUE.staff,
          },
        );
        world.integration.set(p.id, { alloId: item.id, exact, writtenAt: world.clock });
        world.foreign.set(p.id, structuredClone(p));
        break;
      }
      case 'pass':
        await browsers[e.browser]!.pass(e.stopAt);
        break;
      case 'update':
        browsers[e.browser]!.update();
        break;
      case 'retry': {
        const mine = world.calls.filter((c) => c.user.id === ME.alloUser);
        const item = mine[e.pick % Math.max(1, mine.length)];
        if (item) await browsers[e.browser]!.retry(item.id, e.duringOp);
        break;
      }
      case 'tick':
        world.clock += e.s * 1000;
        world.list();
        break;
      case 'fault':
        browsers[e.browser]!.pendingFault = e.kind;
        break;
      case 'edit': {
        const copies = world.ourCopies();
        const copy = copies[e.pick % Math.max(1, copies.length)];
        if (!copy) break;
        const text = `Note ${++edits} : rappeler.`;
        world.sellsy.phoneCalls.set(copy.id, { ...copy, description: `${text}\n${copy.description ?? ''}` });
        world.notes.push({ phoneCallId: copy.id, text });
        break;
      }
      case 'personDelete': {
        const copies = world.ourCopies();
        const copy = copies[e.pick % Math.max(1, copies.length)];
        if (!copy) break;
        world.sellsy.phoneCalls.delete(copy.id);
        // A note goes with the Phone Call its writer deleted: not the extension's loss.
        world.notes.splice(0, world.notes.length, ...world.notes.filter((n) => n.phoneCallId !== copy.id));
        for (const item of world.calls) {
          if (hasOwnBlock(copy.description, item.id)) for (const r of copy.related) world.personDeleted.add(`${item.id}|${r.type}:${r.id}`);
        }
        break;
      }
      case 'summary': {
        const item = world.calls[e.pick % Math.max(1, world.calls.length)];
        if (item && item.result !== null) allo.calls.setSummary(item.id, `Résumé de ${item.id}.`);
        break;
      }
      case 'note': {
        // Typed in the panel during one of my calls, or that note edited. The panel saw the call
        // begin a second after Allo's start (the dialer's event); a redial starts 5 s after a call ends at the earliest.
        const mine = world.calls.filter((c) => c.user.id === ME.alloUser);
        const item = mine[e.pick % Math.max(1, mine.length)];
        if (!item) break;
        const notes = browsers[0]!.notes;
        const id = `note-${item.id}`;
        const text = `Note sur ${item.id}, version ${++noteEdits}.`;
        if (notes.notes.has(id)) notes.type(id, text, world.clock);
        else notes.add(id, item.contact_number, Date.parse(item.date) + 1_000, text, { editedAt: world.clock });
        break;
      }
      case 'deleteRecord':
        world.deletedRecords.add(`contact:${e.id}`);
        world.sellsy.records.delete(`contact:${e.id}`);
        break;
      case 'lag':
        world.sellsy.searchLagMs = e.ms;
        break;
    }
  }

  // Quiet time: no faults, no lag, workers left alone, past every wait (summary 15 min, contact 24 h).
  world.list();
  world.sellsy.searchLagMs = 0;
  for (const browser of browsers) browser.pendingFault = undefined;
  for (const step of [...Array(8).fill(3 * 60_000), 25 * 3600_000, ...Array(6).fill(3 * 60_000)] as number[]) {
    for (const browser of browsers) await browser.pass();
    world.clock += step;
  }
  return judge(world, browsers);
}

/** The oracle: the call log's promise, checked at quiescence. */
async function judge(world: World, browsers: ModelBrowser[]): Promise<Figures> {
  const figures = emptyFigures();
  figures.histories = 1;
  const mine = world.calls.filter((c) => c.user.id === ME.alloUser);
  figures.calls = mine.length;
  const all = [...world.sellsy.phoneCalls.values()];
  for (const item of mine) {
    const stored = await Promise.all(browsers.map((b) => b.calls.get(item.id)));
    if (stored.some((c) => !c || !isFinal(c))) figures.stuck++;
    figures.adopted += stored[0]?.targets.filter((t) => t.state === 'adopted').length ?? 0;
    // The pairs: every live record with the number that either browser knows.
    const numberIndex = NUMBERS.indexOf(item.contact_number as (typeof NUMBERS)[number]);
    const pairs = world.recordsWith(numberIndex).filter((r) => browsers.some((b) => b.knows(r)));
    for (const r of pairs) {
      const key = `${item.id}|${r.kind}:${r.id}`;
      const relating = all.filter((p) => p.related.some((x) => x.type === r.kind && x.id === r.id));
      const ours = relating.filter((p) => hasOwnBlock(p.description, item.id));
      const theirs = relating.filter((p) => world.integration.get(p.id)?.alloId === item.id);
      const count = ours.length + theirs.length;
      figures.pairs++;
      if (count === 0 && !world.personDeleted.has(key)) figures.lost++;
      if (count <= 1) continue;
      const log = theirs[0] ? world.integration.get(theirs[0].id) : undefined;
      // Extras allowed by design, and only these: copies of ours a person wrote in before they
      // could be settled (their text is never removed), and an unprovable integration log of the
      // call beside ours (a guess never deletes).
      const noted = ours.filter((p) => world.notes.some((n) => n.phoneCallId === p.id)).length;
      const unproven = log && !log.exact && ours.length > 0 ? 1 : 0;
      if (theirs.length > 1 || count - 1 > noted + unproven) figures.duplicated++;
      else if (unproven) figures.unprovenDoubles++;
      else figures.keptForNotes++;
    }
  }
  for (const [id, before] of world.foreign) {
    const now = world.sellsy.phoneCalls.get(id);
    // A call note of ours may be added to the integration's log of the call: nothing of theirs changes.
    const theirText = withoutNoteBlocks(now?.description);
    if (!now || theirText !== (before.description ?? '').trimEnd() || JSON.stringify(now.related) !== JSON.stringify(before.related)) figures.foreignTouched++;
  }
  for (const note of world.notes) {
    if (!all.some((p) => p.description?.includes(note.text))) figures.editsLost++;
  }
  judgeNotes(world, browsers[0]!, mine, all, figures);
  // Nothing is ever written as someone else.
  if (world.ourCopies().some((p) => p.ownerId !== ME.staff)) figures.duplicated++;
  return figures;
}

/**
 * The notes' promise: each note is bound to its call; for every (call, record) pair of a noted
 * call, its latest text is in exactly one of the Phone Calls logging the call on the record and
 * the record's comments (none only where a person deleted the pair's Phone Call); no Phone Call
 * or comment holds a note that is not its call's, or an older version of it.
 */
function judgeNotes(world: World, browser: ModelBrowser, mine: CallItem[], all: PhoneCall[], figures: Figures): void {
  const comments = [...world.sellsy.comments.values()];
  for (const note of browser.notes.notes.values()) {
    figures.notes++;
    const item = mine.find((c) => `note-${c.id}` === note.id)!;
    if (note.alloId !== item.id) {
      figures.notesLost++;
      continue;
    }
    const latest = (text: string | null) => (text ?? '').split(note.text).length - 1;
    const numberIndex = NUMBERS.indexOf(item.contact_number as (typeof NUMBERS)[number]);
    for (const r of world.recordsWith(numberIndex).filter((rec) => browser.knows(rec))) {
      const logging = all.filter(
        (p) =>
          p.related.some((x) => x.type === r.kind && x.id === r.id) && (hasOwnBlock(p.description, item.id) || world.integration.get(p.id)?.alloId === item.id),
      );
      const commented = comments.filter((c) => c.related.type === r.kind && c.related.id === r.id);
      const held = [...logging.map((p) => latest(p.description)), ...commented.map((c) => latest(c.description))].reduce((a, b) => a + b, 0);
      if (held === 0 && !world.personDeleted.has(`${item.id}|${r.kind}:${r.id}`)) figures.notesLost++;
      if (held > 1) figures.notesDuplicated++;
    }
  }
  // Every note block says its note, in a Phone Call of the note's call or a comment, in its latest text.
  for (const p of all) {
    for (const [, key] of (p.description ?? '').matchAll(/^\[Allo note ([^\]#][^\]]*)\]$/gm)) {
      const note = browser.notes.notes.get(key!);
      const alloId = note?.alloId ?? '';
      const logsIt = hasOwnBlock(p.description, alloId) || world.integration.get(p.id)?.alloId === alloId;
      if (!note || !logsIt || !(p.description ?? '').includes(note.text)) figures.notesMisplaced++;
    }
  }
  for (const c of comments) {
    for (const [, key] of (c.description ?? '').matchAll(/^\[Allo note ([^\]#][^\]]*)\]$/gm)) {
      const note = browser.notes.notes.get(key!);
      if (!note || !(c.description ?? '').includes(note.text)) figures.notesMisplaced++;
    }
  }
}

function isFinal(call: CallRecord): boolean {
  return call.state === 'synced' || call.state === 'contact_not_found' || call.state === 'contact_deleted';
}

export function addFigures(total: Figures, one: Figures): void {
  for (const key of Object.keys(total) as Array<keyof Figures>) total[key] += one[key];
}

export function formatFigures(f: Figures): string {
  return (
    `histories: ${f.histories}, calls: ${f.calls}, pairs: ${f.pairs}, lost: ${f.lost}, duplicated: ${f.duplicated}, ` +
    `foreign deleted: ${f.foreignTouched}, user edits lost: ${f.editsLost}, stuck: ${f.stuck}; ` +
    `adopted: ${f.adopted}, unproven integration doubles kept: ${f.unprovenDoubles}, kept for a person's note: ${f.keptForNotes}; ` +
    `call notes: ${f.notes}, lost: ${f.notesLost}, duplicated: ${f.notesDuplicated}, misplaced or stale: ${f.notesMisplaced}`
  );
}

export function isClean(f: Figures): boolean {
  return (
    f.lost === 0 &&
    f.duplicated === 0 &&
    f.foreignTouched === 0 &&
    f.editsLost === 0 &&
    f.stuck === 0 &&
    f.notesLost === 0 &&
    f.notesDuplicated === 0 &&
    f.notesMisplaced === 0
  );
}
