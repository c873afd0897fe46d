import { MatchPattern } from '#imports';
import type { Browser } from '#imports';

/**
 * The background answers only this extension's own pages and its content scripts on the pages
 * it was built to run on; anything else (another extension, a page's frame) is refused.
 */
export function isTrustedSender(
  sender: Browser.runtime.MessageSender,
  extensionId: string,
  contentMatches: string[],
): boolean {
  if (sender.id !== extensionId || !sender.url) return false;
  const origin = new URL(sender.url).origin;
  if (origin === `chrome-extension://${extensionId}`) return true;
  if (!sender.tab) return false;
  return contentMatches.some((pattern) => new MatchPattern(pattern).includes(sender.url!));
}
