import type { Connections } from './connection/connections';
import { openAlloWebApp } from './allo/open-web-app';
import { onMessage, type ProtocolMap } from './messaging';
import type { SenderInfo } from './trusted-sender';

type Guard = (sender: SenderInfo) => boolean;

/** Which senders may ask what: content scripts only open Allo; the rest is for our own pages. */
export function registerHandlers(connections: Connections, isTrusted: Guard, isOwnPage: Guard): void {
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
  guarded('getStatus', isOwnPage, (data) => connections.status(data));
  guarded('connectSellsy', isOwnPage, () => connections.connectSellsy());
  guarded('disconnectSellsy', isOwnPage, () => connections.disconnectSellsy());
  guarded('setAlloApiKey', isOwnPage, (data) => connections.setAlloKey(data.key));
  guarded('disconnectAllo', isOwnPage, () => connections.disconnectAllo());
}
