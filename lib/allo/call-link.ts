/**
 * The one place that knows how a number becomes a call in Allo. Allo documents no URL scheme
 * of its own: its desktop app answers the system's call links, so the target is a setting.
 */
export type CallTarget = 'tel' | 'callto' | 'allo-web';

export const CALL_TARGETS: readonly CallTarget[] = ['tel', 'callto', 'allo-web'];
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
