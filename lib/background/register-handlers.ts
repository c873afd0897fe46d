import { openAlloWebApp } from '../allo/open-web-app';
import { describeNumber } from '../cache/describe-number';
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
  guarded('setAlloApiKey', isOwnPage, (data) => connections.setAlloKey(data.key));
  guarded('disconnectAllo', isOwnPage, () => connections.disconnectAllo());
  guarded('syncNow', isOwnPage, async () => {
    void app.syncIfConnected();
    return connections.status();
  });
}
