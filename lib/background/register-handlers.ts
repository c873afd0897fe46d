import * as v from 'valibot';
import { onMessage, type ProtocolMap } from '../messaging';
import { COMPANY_MAX, NAME_MAX } from '../dialer/new-contact';
import { NOTE_MAX, NOTE_OUTCOMES } from '../notes/call-note';
import { MAX_AHEAD_MS } from '../follow-up/due-time';
import { RECORD_PATHS, type RecordPath } from '../sellsy/record-url';
import type { SenderInfo } from '../trusted-sender';
import type { BackgroundApp } from './create-app';

type Guard = (sender: SenderInfo) => boolean;
/** A guard that may need to read something first (then the message waits for its answer). */
type WaitingGuard = (sender: SenderInfo) => boolean | Promise<boolean>;

export interface SenderGuards {
  /**
   * This extension's pages, and its content scripts on the pages it runs on. It answers at once
   * once the worker knows where it runs; right after a start, the app hosts added at run time
   * are still being read, and the answer waits for them.
   */
  isTrusted: WaitingGuard;
  /** This extension's own pages (popup, options). */
  isOwnPage: Guard;
}

const PathText = v.pipe(v.string(), v.maxLength(300));
const NoPayload = v.undefined();
const E164 = v.pipe(v.string(), v.regex(/^\+\d{8,15}$/));
const RequestId = v.pipe(v.string(), v.nonEmpty(), v.maxLength(100));
const NoteId = v.pipe(v.string(), v.regex(/^note-[\w-]{1,60}$/));
const WindowId = v.pipe(v.number(), v.integer(), v.minValue(0));
const DialerEventSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('login') }),
  v.object({ type: v.literal('call'), direction: v.picklist(['outgoing', 'incoming']), e164: v.optional(E164) }),
  v.object({ type: v.literal('missed'), e164: v.optional(E164) }),
]);
// RFC 3339 with an offset, as due-time.ts writes it; not beyond what the panel offers (a day of slack for clocks).
const DueAt = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/),
  v.check((text) => {
    const at = Date.parse(text);
    return !Number.isNaN(at) && at - Date.now() < MAX_AHEAD_MS + 86_400_000;
  }),
);
const AlloUserSchema = v.object({
  id: v.pipe(v.string(), v.nonEmpty(), v.maxLength(100)),
  name: v.pipe(v.string(), v.maxLength(200)),
  email: v.optional(v.pipe(v.string(), v.maxLength(320))),
});

/**
 * What each message may carry. A sender we trust can still be fooled (a content script runs
 * beside a page's code): a malformed payload is refused before any work starts.
 */
const PAYLOADS = {
  openAlloWebApp: NoPayload,
  lookupNumber: v.object({ e164: E164 }),
  pagePolicy: NoPayload,
  openDialer: v.object({ e164: E164 }),
  claimDial: v.object({ id: RequestId, windowId: WindowId, dialerWindow: v.optional(v.boolean()) }),
  giveUpDial: v.object({ id: RequestId, reason: v.picklist(['not-ready', 'offline', 'no-panel']), windowId: WindowId, dialerWindow: v.optional(v.boolean()) }),
  dialerEvent: v.object({ event: DialerEventSchema }),
  numberRecords: v.object({ e164: E164 }),
  callHistory: v.object({ e164: E164 }),
  searchRecords: v.object({ query: v.pipe(v.string(), v.maxLength(200)) }),
  // Trimmed, bounded as Sellsy bounds them; a last name is required (`ContactCreateItem`).
  createContact: v.object({
    e164: E164,
    firstName: v.pipe(v.string(), v.trim(), v.maxLength(NAME_MAX)),
    lastName: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(NAME_MAX)),
    company: v.pipe(v.string(), v.trim(), v.maxLength(COMPANY_MAX)),
  }),
  callNote: v.object({
    call: v.optional(v.object({ e164: E164, startedAt: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
    id: v.optional(NoteId),
  }),
  saveCallNote: v.object({ id: NoteId, text: v.pipe(v.string(), v.maxLength(NOTE_MAX)), outcome: v.nullable(v.picklist(NOTE_OUTCOMES)) }),
  createFollowUp: v.object({
    e164: E164,
    record: v.object({ key: v.pipe(v.string(), v.regex(/^(contact|company|individual):\d{1,15}$/)), name: v.pipe(v.string(), v.maxLength(500)) }),
    dueAt: DueAt,
    noteFirstLine: v.optional(v.pipe(v.string(), v.maxLength(2000))),
  }),
  retryFollowUp: v.object({ id: v.pipe(v.string(), v.regex(/^[\w-]{8,64}$/)) }),
  getStatus: v.object({ verify: v.optional(v.boolean()) }),
  connectSellsy: NoPayload,
  getSellsyClient: NoPayload,
  setSellsyClient: v.object({
    client: v.nullable(v.object({ clientId: v.pipe(v.string(), v.maxLength(200)), clientSecret: v.optional(v.pipe(v.string(), v.maxLength(1000))) })),
  }),
  testSellsyAccess: NoPayload,
  disconnectSellsy: NoPayload,
  setAlloApiKey: v.object({ key: v.pipe(v.string(), v.maxLength(500)) }),
  disconnectAllo: NoPayload,
  syncNow: NoPayload,
  listCalls: v.object({ limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)) }),
  refreshCalls: NoPayload,
  retryCall: v.object({ alloId: v.pipe(v.string(), v.nonEmpty(), v.maxLength(100)) }),
  listenToRecording: v.object({ alloId: v.pipe(v.string(), v.regex(/^cll-[\w-]{1,96}$/)) }),
  listAlloUsers: NoPayload,
  listAppHosts: NoPayload,
  addAppHost: v.object({ host: v.pipe(v.string(), v.maxLength(300)) }),
  removeAppHost: v.object({ host: v.pipe(v.string(), v.maxLength(300)) }),
  getRecordLinks: NoPayload,
  setRecordLinks: v.object({
    appUrl: v.pipe(v.string(), v.maxLength(1000)),
    paths: v.partial(v.object({ contact: PathText, client: PathText, prospect: PathText, individual: PathText } satisfies Record<RecordPath, typeof PathText>)),
  }),
  testRecordLink: v.object({ path: v.picklist(RECORD_PATHS) }),
  setAlloUser: v.object({ user: v.nullable(AlloUserSchema) }),
} satisfies { [K in keyof ProtocolMap]: v.GenericSchema<unknown, Parameters<ProtocolMap[K]>[0]> };

/** Maps each message to what the background does; content scripts only look numbers up, open Allo and read the policy's page part. */
export function registerHandlers(app: BackgroundApp, { isTrusted, isOwnPage }: SenderGuards): void {
  const handle = <K extends keyof ProtocolMap>(
    type: K,
    allowed: WaitingGuard,
    run: (data: v.InferOutput<(typeof PAYLOADS)[K]>, sender: SenderInfo) => Promise<ReturnType<ProtocolMap[K]>>,
  ) =>
    // Synchronous up to `run` when the guard answers at once: openDialer must reach
    // sidePanel.open while the click's user gesture still holds, and any await before it loses
    // the gesture (tested in Chromium).
    onMessage(type, ({ data, sender }) => {
      const go = (ok: boolean) => {
        if (!ok) throw new Error(`Refused ${type}: untrusted sender`);
        const payload = v.safeParse(PAYLOADS[type], data);
        if (!payload.success) throw new Error(`Refused ${type}: malformed payload`);
        return run(payload.output, sender);
      };
      const verdict = allowed(sender);
      return typeof verdict === 'boolean' ? go(verdict) : verdict.then(go);
    });

  handle('openAlloWebApp', isTrusted, () => app.openAlloWebApp());
  handle('lookupNumber', isTrusted, ({ e164 }) => app.lookupNumber(e164));
  handle('pagePolicy', isTrusted, () => app.pagePolicy());
  // A click in a tab: the panel opens on that tab, and only a content script has one. It cannot
  // wait for the sender check (sidePanel.open needs the click's gesture): when the check must
  // first read the added app hosts (the click woke the worker), the panel opens at once and the
  // number is handed over only if the check then says yes.
  onMessage('openDialer', ({ data, sender }) => {
    const { tab } = sender;
    const verdict = tab?.id !== undefined && tab.windowId !== undefined ? isTrusted(sender) : false;
    if (verdict === false) throw new Error('Refused openDialer: untrusted sender');
    const payload = v.safeParse(PAYLOADS.openDialer, data);
    if (!payload.success) throw new Error('Refused openDialer: malformed payload');
    const from = { tabId: tab?.id ?? -1, windowId: tab?.windowId ?? -1 };
    return app.openDialer(from, payload.output.e164, verdict === true ? undefined : verdict);
  });
  handle('claimDial', isOwnPage, ({ id, ...by }) => app.claimDial(id, by));
  handle('giveUpDial', isOwnPage, ({ id, reason, ...by }) => app.giveUpDial(id, reason, by));
  handle('dialerEvent', isOwnPage, ({ event }) => app.dialerEvent(event));
  handle('numberRecords', isOwnPage, ({ e164 }) => app.numberRecords(e164));
  handle('callHistory', isOwnPage, ({ e164 }) => app.callHistory(e164));
  handle('searchRecords', isOwnPage, ({ query }) => app.searchRecords(query));
  handle('createContact', isOwnPage, (input) => app.createContact(input));
  handle('callNote', isOwnPage, (request) => app.callNote(request));
  handle('saveCallNote', isOwnPage, ({ id, text, outcome }) => app.saveCallNote(id, text, outcome));
  handle('createFollowUp', isOwnPage, (input) => app.createFollowUp(input));
  handle('retryFollowUp', isOwnPage, ({ id }) => app.retryFollowUp(id));
  handle('getStatus', isOwnPage, (options) => app.getStatus(options));
  handle('connectSellsy', isOwnPage, () => app.connectSellsy());
  handle('getSellsyClient', isOwnPage, () => app.getSellsyClient());
  handle('setSellsyClient', isOwnPage, ({ client }) => app.setSellsyClient(client));
  handle('testSellsyAccess', isOwnPage, () => app.testSellsyAccess());
  handle('disconnectSellsy', isOwnPage, () => app.disconnectSellsy());
  handle('setAlloApiKey', isOwnPage, ({ key }) => app.setAlloApiKey(key));
  handle('disconnectAllo', isOwnPage, () => app.disconnectAllo());
  handle('syncNow', isOwnPage, () => app.syncNow());
  handle('listCalls', isOwnPage, ({ limit }) => app.listCalls(limit));
  handle('refreshCalls', isOwnPage, () => app.refreshCalls());
  handle('retryCall', isOwnPage, ({ alloId }) => app.retryCall(alloId));
  handle('listenToRecording', isOwnPage, ({ alloId }) => app.listenToRecording(alloId));
  handle('listAlloUsers', isOwnPage, () => app.listAlloUsers());
  handle('listAppHosts', isOwnPage, () => app.listAppHosts());
  handle('addAppHost', isOwnPage, ({ host }) => app.addAppHost(host));
  handle('removeAppHost', isOwnPage, ({ host }) => app.removeAppHost(host));
  handle('getRecordLinks', isOwnPage, () => app.getRecordLinks());
  handle('setRecordLinks', isOwnPage, (links) => app.setRecordLinks(links));
  handle('testRecordLink', isOwnPage, ({ path }) => app.testRecordLink(path));
  handle('setAlloUser', isOwnPage, ({ user }) => app.setAlloUser(user));
}
