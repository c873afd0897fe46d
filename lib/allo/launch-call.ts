import type { TelTarget } from '../phone/tel-href';
import { buildCallLink, type CallTarget } from './call-link';

export interface LaunchDeps {
  doc: Document;
  /** Asks the background to show Allo's web app (the content script cannot manage tabs). */
  openWebApp: () => Promise<void>;
  writeClipboard?: (text: string) => Promise<void>;
  /** Tells the user the number is on the clipboard, ready to paste in Allo's web app. */
  notify?: (copied: boolean) => void;
  /**
   * Asks the background to hand the number to Allo's dialer in the side panel. `fallback`: the
   * dialer could not take it, and the click goes to `tel:` instead.
   */
  openDialer?: () => Promise<'opened' | 'fallback'>;
  /** Tells the user the dialer could not take the number and the system's call app got it. */
  notifyFallback?: () => void;
}

const FRAME_LIFETIME_MS = 2_000;

/** Hands a number to Allo without leaving or reloading the page. */
export function launchCall(target: TelTarget, callTarget: CallTarget, deps: LaunchDeps): void {
  const link = buildCallLink(target.e164, callTarget, target.extension);
  if (callTarget === 'allo-dialer' && deps.openDialer) {
    // One outcome per click: the dialer has the number, or `tel:` gets it, still within the
    // click's user activation (the background answers in under 5 s). Never both.
    const fallBack = () => {
      followInHiddenFrame(link.url, deps.doc);
      deps.notifyFallback?.();
    };
    deps.openDialer().then((outcome) => {
      if (outcome === 'fallback') fallBack();
    }, fallBack);
    return;
  }
  if (link.copyToClipboard !== undefined) {
    const write = deps.writeClipboard ?? ((text: string) => navigator.clipboard.writeText(text));
    // Without focus the clipboard refuses; the web app still opens, and the notice says so.
    write(link.copyToClipboard).then(
      () => deps.notify?.(true),
      () => deps.notify?.(false),
    );
    void deps.openWebApp();
    return;
  }
  followInHiddenFrame(link.url, deps.doc);
}

/**
 * A call link followed by the page itself fires `beforeunload`, and Sellsy asks "leave this
 * page?" over unsaved forms; followed in a hidden frame, the system's call app gets it and the
 * page sees nothing. Where the page's CSP forbids that frame, the page follows it after all.
 */
function followInHiddenFrame(url: string, doc: Document): void {
  const frame = doc.createElement('iframe');
  frame.name = `allo-call-${Math.random().toString(36).slice(2)}`;
  frame.hidden = true;
  frame.tabIndex = -1;
  frame.setAttribute('aria-hidden', 'true');
  doc.documentElement.append(frame);
  const scheme = url.slice(0, url.indexOf(':'));
  const onViolation = (event: SecurityPolicyViolationEvent) => {
    if (!event.blockedURI.startsWith(scheme)) return;
    doc.removeEventListener('securitypolicyviolation', onViolation);
    follow(url, doc);
  };
  doc.addEventListener('securitypolicyviolation', onViolation);
  follow(url, doc, frame.name);
  setTimeout(() => {
    doc.removeEventListener('securitypolicyviolation', onViolation);
    frame.remove();
  }, FRAME_LIFETIME_MS);
}

function follow(url: string, doc: Document, target?: string): void {
  const anchor = doc.createElement('a');
  anchor.href = url;
  if (target) anchor.target = target;
  anchor.click();
}
