import { MatchPattern } from '#imports';

/** What the background looks at in a message's sender (a subset of runtime.MessageSender). */
export interface SenderInfo {
  id?: string;
  url?: string;
  /** The sender document's origin (Chrome 80+): for an about:blank frame, its creator's. */
  origin?: string;
  tab?: { id?: number; windowId?: number };
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
  if (sender.id !== extensionId || !sender.tab) return false;
  const found = pageOf(sender);
  if (found === undefined) return false;
  const page = withoutTrailingDot(found);
  return contentMatches.some((pattern) => new MatchPattern(pattern).includes(page));
}

/**
 * Chrome's match patterns ignore one trailing dot of a host: it runs the content script on
 * `https://www.sellsy.com./` (seen in Chromium), and the background judges that page the same
 * way, or its buttons would show there and every click be refused.
 */
function withoutTrailingDot(page: string): string {
  try {
    const url = new URL(page);
    if (!url.hostname.endsWith('.')) return page;
    url.hostname = url.hostname.slice(0, -1);
    return url.href;
  } catch {
    return page;
  }
}

/**
 * The address a content script's frame is judged by. An about:blank or about:srcdoc frame (the
 * content script runs there with `matchAboutBlank`) has no address of its own: it shares the
 * origin of the page that made it, which Chrome gives as `sender.origin`. A sandboxed frame's
 * origin is opaque ("null") and is refused, as is any origin that is not a plain web origin.
 */
function pageOf({ url, origin }: SenderInfo): string | undefined {
  if (!url) return undefined;
  if (!/^about:(blank|srcdoc)(?:[?#]|$)/.test(url)) return url;
  if (!origin) return undefined;
  try {
    const parsed = new URL(origin);
    return parsed.origin === origin && /^https?:$/.test(parsed.protocol) ? `${origin}/` : undefined;
  } catch {
    return undefined;
  }
}
