import { openAlloWebApp } from '../allo/open-web-app';
import { describeNumber } from '../cache/describe-number';
import { alloUserChoice, alloUserMiss, candidateUsers } from '../calls/whose-calls';
import { config } from '../config';
import { onMessage, type ProtocolMap } from '../messaging';
import type { SenderInfo } from '../trusted-sender';
import { readCallList } from './call-list';
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
    if (result.ok) {
      await alloUserMiss.removeValue();
      void app.logCalls();
    }
    return result;
  });
  guarded('disconnectAllo', isOwnPage, () => connections.disconnectAllo());
  // Only reads: the popup reloads its list whenever the calls change, so a list that started
  // work would have the popup and the background trigger each other without end.
  guarded('listCalls', isOwnPage, ({ limit }) => readCallList(app.calls, config.sellsyAppUrl, limit));
  guarded('refreshCalls', isOwnPage, () => app.refreshCalls());
  guarded('retryCall', isOwnPage, async ({ alloId }) => {
    await app.pipeline?.retry(alloId);
    await app.logCalls();
  });
  guarded('listAlloUsers', isOwnPage, async () =>
    (await candidateUsers(app.allo)).map((user) => ({ id: user.id, name: user.name ?? user.email ?? user.id, ...(user.email ? { email: user.email } : {}) })),
  );
  guarded('setAlloUser', isOwnPage, async ({ user }) => {
    await (user ? alloUserChoice.setValue({ ...user, how: 'picked' }) : alloUserChoice.removeValue());
    await alloUserMiss.removeValue();
    void app.logCalls();
  });
  guarded('syncNow', isOwnPage, async () => {
    void app.syncIfConnected();
    return connections.status();
  });
}
