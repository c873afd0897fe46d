import { defineExtensionMessaging } from '@webext-core/messaging';

/**
 * The typed protocol between the background and everything else. Only types may be imported
 * here: the content script bundles this file.
 */
export interface ProtocolMap {
  /** Content script: the call target is Allo's web app; open it (one reused tab). */
  openAlloWebApp(): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
