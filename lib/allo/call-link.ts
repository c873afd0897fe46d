/**
 * The one place that knows how a number becomes a call in Allo. Allo documents no URL scheme
 * of its own: its desktop app answers the system's call links, its web app takes no number,
 * and its embedded dialer (`allo-dialer`, in the side panel) is handed one by message.
 */
export type CallTarget = 'tel' | 'callto' | 'allo-web' | 'allo-dialer';

export const CALL_TARGETS: readonly CallTarget[] = ['allo-dialer', 'tel', 'callto', 'allo-web'];
export const DEFAULT_CALL_TARGET: CallTarget = 'tel';
export const ALLO_WEB_APP_URL = 'https://web.withallo.com/';

export interface CallLink {
  /** What to open: a system call link, or Allo's web app. */
  url: string;
  /** The web app cannot be handed a number, so the number goes on the clipboard. */
  copyToClipboard?: string;
}

export function buildCallLink(e164: string, target: CallTarget, extension?: string): CallLink {
  const suffix = extension ? `;ext=${extension}` : '';
  switch (target) {
    // The dialer goes through the background (launch-call.ts); where it cannot, `tel:` does.
    case 'allo-dialer':
    case 'tel':
      return { url: `tel:${e164}${suffix}` };
    case 'callto':
      return { url: `callto:${e164}${suffix}` };
    case 'allo-web':
      return { url: ALLO_WEB_APP_URL, copyToClipboard: e164 };
  }
}

export function isCallTarget(value: unknown): value is CallTarget {
  return typeof value === 'string' && (CALL_TARGETS as readonly string[]).includes(value);
}
