import { defineExtensionMessaging } from '@webext-core/messaging';
import type { NumberDescription } from './cache/describe-number';
import type { ActionResult, Status } from './connection/status';

/**
 * The typed protocol between the background and everything else. Only types may be imported
 * here: the content script bundles this file.
 */
export interface ProtocolMap {
  /** Content script: the call target is Allo's web app; open it (one reused tab). */
  openAlloWebApp(): void;
  /** Popup: the state of Sellsy and Allo; `verify` asks Sellsy once whether it still answers. */
  getStatus(data: { verify: boolean }): Status;
  connectSellsy(): ActionResult;
  disconnectSellsy(): Status;
  setAlloApiKey(data: { key: string }): ActionResult;
  disconnectAllo(): Status;
  /** Popup: sync contacts now (returns at once; progress arrives in the status). */
  syncNow(): Status;
  /** Content script: who has this number in Sellsy (names only), for the link's tooltip. */
  lookupNumber(data: { e164: string }): NumberDescription;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
