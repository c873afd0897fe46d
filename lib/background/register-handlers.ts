import { openAlloWebApp } from '../allo/open-web-app';
import { describeNumber } from '../cache/describe-number';
import { toCallView } from '../calls/call-view';
import { NOT_FOUND_AFTER_MS } from '../calls/pipeline';
import { summarizeSkippedCalls } from '../calls/skipped-calls';
import { alloUserChoice, candidateUsers } from '../calls/whose-calls';
import { config } from '../config';
import { onMessage, type ProtocolMap } from '../messaging';
import type { SenderInfo } from '../trusted-sender';
import type { BackgroundApp } from './create-app';

type Guard = (sender: SenderInfo) => boolean;

/** Which senders may ask what: content scripts only look numbers up and open Allo. */
export function registerHandlers(app: BackgroundApp, isTrusted: Guard, isOwnPage: Guard): void {
  const { connections } = app;
  const guarded = <K extends keyof ProtocolMap>(
    type: K,
    allowed: Guard,
    handle: (data: Parameters<ProtocolMap[K]>[0]) => Promise<ReturnType<ProtocolMap[K]>>,
  ) =>
    onMessage(type, ({ data, sender }) => {
      if (!allowed(sender)) throw new Error(`Refused ${type}: untrusted sender`);
      return handle(data as Parameters<ProtocolMap[K]>[0]);
    });

  guarded('openAlloWebApp', isTrusted, () => openAlloWebApp());
  guarded('lookupNumber', isTrusted, (data) => describeNumber(app.cache, data.e164));
  guarded('getStatus', isOwnPage, (data) => connections.status(data));
  guarded('connectSellsy', isOwnPage, () => connections.connectSellsy());
  guarded('disconnectSellsy', isOwnPage, () => connections.disconnectSellsy());
  guarded('setAlloApiKey', isOwnPage, async (data) => {
    const result = await connections.setAlloKey(data.key);
    // Find whose calls to log, and the first ones, without waiting for the alarm.
    if (result.ok) void app.logCalls();
    return result;
  });
  guarded('disconnectAllo', isOwnPage, () => connections.disconnectAllo());
  guarded('listCalls', isOwnPage, async ({ limit }) => {
    // Someone is looking: fetch new calls now rather than at the next alarm.
    void app.logCalls();
    return listCalls(limit);
  });
  const listCalls = async (limit: number) => ({
    calls: (await app.calls.recent(Math.min(limit, 100))).map((call) => toCallView(call, config.sellsyAppUrl, NOT_FOUND_AFTER_MS)),
    alloUser: await alloUserChoice.getValue(),
    skipped: await summarizeSkippedCalls(),
  });
  guarded('retryCall', isOwnPage, async ({ alloId }) => {
    await app.pipeline?.retry(alloId);
    await app.logCalls();
  });
  guarded('listAlloUsers', isOwnPage, async () =>
    (await candidateUsers(app.allo)).map((user) => ({ id: user.id, name: user.name ?? user.email ?? user.id, ...(user.email ? { email: user.email } : {}) })),
  );
  guarded('setAlloUser', isOwnPage, async ({ user }) => {
    await (user ? alloUserChoice.setValue({ ...user, how: 'picked' }) : alloUserChoice.removeValue());
    void app.logCalls();
  });
  guarded('syncNow', isOwnPage, async () => {
    void app.syncIfConnected();
    return connections.status();
  });
}
