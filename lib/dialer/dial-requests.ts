/**
 * One click on a number, while the side panel's dialer takes it. The content script waits for
 * the outcome: `opened` (nothing more to do: the dialer has the number, or a newer click on the
 * same number carries it) or `fallback` (it follows `tel:` itself, in the same click). Each
 * request ends exactly once, so a number is never handed to both.
 */
export type DialOutcome = 'opened' | 'fallback';

/** Why the dialer did not take a number; the panel explains each one. */
export type FallbackReason = 'not-ready' | 'offline' | 'no-panel';

export interface DialRequest {
  id: string;
  /** The tab the click came from, where the side panel opens. */
  tabId: number;
  /**
   * That tab's window: its side panel takes the click, or, when it had none open at the click, a
   * dialer in a window of its own (`openDialerWindow`) may.
   */
  windowId: number;
  e164: string;
  at: number;
  state: 'pending' | 'dialed' | 'fell-back';
  reason?: FallbackReason;
}

export interface DialRequestsDeps {
  /** Shown to the panel (storage.session): the latest request, as it changes. */
  publish(request: DialRequest): Promise<void>;
  now?: () => number;
  newId?: () => string;
  /** Longer than the panel's own wait for `ready`, shorter than the click's user activation (5 s). */
  timeoutMs?: number;
}

export const DIAL_TIMEOUT_MS = 4_500;

/**
 * Who asks to take or give up a click: the side panel of window `windowId`, or the dialer page
 * opened in a popup window of its own (`dialerWindow`), where Chrome can ask for the microphone
 * when the side panel cannot have it.
 */
export interface DialTaker {
  windowId: number;
  dialerWindow?: boolean;
}

interface Pending {
  request: DialRequest;
  /** Whether the click's window had its side panel open before the click opened it. */
  panelWasOpen: Promise<boolean>;
  settle(outcome: DialOutcome): void;
}

export class DialRequests {
  private pending: Pending | undefined;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly timeoutMs: number;

  constructor(private readonly deps: DialRequestsDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.timeoutMs = deps.timeoutMs ?? DIAL_TIMEOUT_MS;
  }

  /**
   * A click asks for a number. `panelOpened` is Chrome's answer to `sidePanel.open`, which the
   * caller had to call before anything else (it needs the click's user gesture); `panelWasOpen`
   * says whether the click's window had its panel open before that.
   */
  open(
    { tabId, windowId }: { tabId: number; windowId: number },
    e164: string,
    panelOpened: Promise<void>,
    panelWasOpen: Promise<boolean>,
  ): Promise<DialOutcome> {
    // A newer click wins: the one before it goes to tel: rather than being lost. The same number
    // clicked again from the same tab is one wish: the newer click alone carries it (to the
    // dialer or to tel:), and the older one ends without a call, or the number would ring twice.
    const previous = this.pending;
    if (previous?.request.tabId === tabId && previous.request.e164 === e164) {
      this.pending = undefined;
      previous.settle('opened');
    } else if (previous) this.end(previous.request.id, 'fell-back', 'not-ready');
    const request: DialRequest = { id: this.newId(), tabId, windowId, e164, at: this.now(), state: 'pending' };
    return new Promise<DialOutcome>((resolve) => {
      const timer = setTimeout(() => this.end(request.id, 'fell-back', 'not-ready'), this.timeoutMs);
      this.pending = {
        request,
        // Unknown counts as open: the panel then keeps the click, as before dialer windows.
        panelWasOpen: panelWasOpen.catch(() => true),
        settle: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      void this.deps.publish(request);
      panelOpened.catch(() => this.end(request.id, 'fell-back', 'no-panel'));
    });
  }

  /**
   * A dialer is ready: it may dial this request's number, unless it already ended. Every window
   * has its own panel, and all of them see each request: only the click's window's counts, or a
   * dialer window's when that panel was not open (then the first to claim takes it).
   */
  async claim(id: string, by: DialTaker): Promise<DialRequest | undefined> {
    return (await this.mayEnd(id, by)) ? this.end(id, 'dialed') : undefined;
  }

  /** That dialer cannot take it: the click falls back to `tel:`. */
  async giveUp(id: string, reason: FallbackReason, by: DialTaker): Promise<void> {
    if (await this.mayEnd(id, by)) this.end(id, 'fell-back', reason);
  }

  private async mayEnd(id: string, by: DialTaker): Promise<boolean> {
    const pending = this.pending;
    if (!pending || pending.request.id !== id) return false;
    if (!by.dialerWindow) return pending.request.windowId === by.windowId;
    // `end` checks again that this request is still the one pending: it may have ended meanwhile.
    return !(await pending.panelWasOpen);
  }

  private end(id: string, state: 'dialed' | 'fell-back', reason?: FallbackReason): DialRequest | undefined {
    const pending = this.pending;
    if (!pending || pending.request.id !== id) return undefined;
    this.pending = undefined;
    const request: DialRequest = reason ? { ...pending.request, state, reason } : { ...pending.request, state };
    pending.settle(state === 'dialed' ? 'opened' : 'fallback');
    void this.deps.publish(request);
    return request;
  }
}
