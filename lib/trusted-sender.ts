import { MatchPattern } from '#imports';

/** What the background looks at in a message's sender (a subset of runtime.MessageSender). */
export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number };
}

/** One of this extension's own pages (popup, options), wherever it is shown. */
export function isExtensionPage(sender: SenderInfo, extensionId: string): boolean {
  return sender.id === extensionId && !!sender.url?.startsWith(`chrome-extension://${extensionId}/`);
}

/**
 * The background answers only this extension's own pages and its content scripts on the pages
 * it was built to run on; anything else (another extension, a page's frame) is refused.
 */
export function isTrustedSender(sender: SenderInfo, extensionId: string, contentMatches: string[]): boolean {
  if (isExtensionPage(sender, extensionId)) return true;
  const { url } = sender;
  if (sender.id !== extensionId || !url || !sender.tab) return false;
  return contentMatches.some((pattern) => new MatchPattern(pattern).includes(url));
}
