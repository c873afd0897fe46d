import type { DialRequest, FallbackReason } from './dial-requests';
import { type DialCommand, type DialerEvent, dialCommand, parseDialerMessage } from './protocol';

/** How long the panel waits for the dialer's `ready` before a click falls back to `tel:`. */
export const READY_TIMEOUT_MS = 3_500;
/** A click older than this, found when the panel opens, is history: it is not shown. */
const STALE_REQUEST_MS = 60_000;
/**
 * A `ready` this soon after a dial means the dialer's frame (re)loaded around it: the dial may
 * have gone to the page that was leaving, and is handed to the new one. The dialer does not
 * acknowledge `dial`, and a frame's navigation cannot be seen from the panel until it is over.
 */
export const REDIAL_WITHIN_MS = 10_000;

/**
 * A `missed_call` this soon after the person's own call to the same number is taken for that
 * call going unanswered, not for a missed incoming call: Allo has not published the event, and
 * its name would fit both. Longer than a call rings out.
 */
export const OWN_CALL_RINGS_MS = 3 * 60_000;

export type DialerStatus = 'loading' | 'ready' | 'unavailable';

/** What the panel shows: the dialer's state, and whose number is at hand. */
export interface PanelView {
  status: DialerStatus;
  /** Why the dialer is unavailable, or why the last click went to `tel:`. */
  reason?: FallbackReason;
  signedIn: boolean;
  /** The number the panel is about: the last click, or the call the dialer announced. */
  current?: { e164?: string; why: 'dial' | 'fell-back' | 'incoming' | 'outgoing' };
}

export interface PanelSessionDeps {
  dialerOrigin: string;
  /** Posts to the dialer's frame with `targetOrigin` set to the dialer's origin. */
  post(command: DialCommand): void;
  /** Asks the background whether this request may still be dialed (it ends exactly once). */
  claim(id: string): Promise<DialRequest | undefined>;
  giveUp(id: string, reason: FallbackReason): Promise<void>;
  /** Tells the background what the dialer said (ready, a call seen). */
  report(event: DialerEvent): void;
  online(): boolean;
  onChange(view: PanelView): void;
  readyTimeoutMs?: number;
  now?: () => number;
  /** The window this panel is in: a click made in another window is that window's panel's. */
  windowId: number;
  /**
   * This dialer runs in a popup window of its own (`openDialerWindow`): clicks come from the
   * other windows, and it takes one when the background lets it (the click's window had no panel
   * open). It shows a click only once it has it, or once it gave it up.
   */
  anyWindow?: boolean;
}

export class PanelSession {
  private view: PanelView = { status: 'loading', signedIn: false };
  private waiting: DialRequest | undefined;
  /** The last number handed to the dialer, and when: handed again once if the dialer restarts. */
  private lastDial: { e164: string; at: number } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A dialer window's last click, which it waited for, claimed or gave up: it shows only that one. */
  private handled: string | undefined;
  /** A number chosen in the panel before the dialer was ready: dialled once it is, or sent elsewhere. */
  private chosen: { e164: string; fallBack: () => void } | undefined;
  /** The last call the dialer announced, and when. */
  private lastCall: { e164?: string; direction: 'outgoing' | 'incoming'; at: number } | undefined;

  constructor(private readonly deps: PanelSessionDeps) {}

  /** The dialer's frame starts loading. */
  start(): void {
    if (!this.deps.online()) {
      this.unavailable('offline');
      return;
    }
    this.timer = setTimeout(() => this.unavailable('not-ready'), this.deps.readyTimeoutMs ?? READY_TIMEOUT_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** A `message` event on the panel's window: only the dialer's own messages count. */
  receive(event: { origin: string; data: unknown }): void {
    const message = parseDialerMessage(event, this.deps.dialerOrigin);
    if (!message) return;
    if (message.type === 'call') this.lastCall = { e164: message.e164, direction: message.direction, at: this.now() };
    else if (message.type === 'missed') {
      const own = this.lastCall;
      this.lastCall = undefined;
      // The person's own call to that number, unanswered: nobody is to be told they missed it.
      if (own?.direction === 'outgoing' && own.e164 === message.e164 && this.now() - own.at <= OWN_CALL_RINGS_MS) return;
    }
    this.deps.report(message);
    if (message.type === 'ready') {
      clearTimeout(this.timer);
      this.update({ status: 'ready', reason: undefined });
      const again = this.lastDial;
      this.lastDial = undefined;
      const chosen = this.chosen;
      this.chosen = undefined;
      if (this.waiting) void this.dial(this.waiting);
      if (chosen) this.dialHere(chosen.e164, chosen.fallBack);
      else if (again && this.now() - again.at <= REDIAL_WITHIN_MS) this.deps.post(dialCommand(again.e164));
    } else if (message.type === 'login') this.update({ signedIn: true });
    // The caller who rang out is still the one shown: the panel is about them.
    else if (message.type === 'missed') this.update({ current: { e164: message.e164, why: 'incoming' } });
    else this.update({ current: { e164: message.e164, why: message.direction } });
  }

  /** The background published a click's request (storage.session). */
  request(request: DialRequest | null): void {
    if (!request || request.at < this.now() - STALE_REQUEST_MS) return;
    const anyWindow = this.deps.anyWindow === true;
    if (!anyWindow && request.windowId !== this.deps.windowId) return;
    if (request.state === 'fell-back') {
      if (anyWindow && this.handled !== request.id) return;
      if (this.waiting?.id === request.id) this.waiting = undefined;
      this.update({ current: { e164: request.e164, why: 'fell-back' }, reason: request.reason });
      return;
    }
    if (request.state !== 'pending') return;
    if (anyWindow) this.handled = request.id;
    else this.update({ current: { e164: request.e164, why: 'dial' } });
    if (this.view.status === 'ready') void this.dial(request);
    else if (this.view.status === 'unavailable') void this.deps.giveUp(request.id, this.view.reason ?? 'not-ready');
    else {
      // The newest wish wins: a number chosen in the panel before this click is not dialled.
      this.chosen = undefined;
      this.waiting = request;
    }
  }

  /**
   * A number chosen in the panel itself (the name search): the dialer gets it now, or once it is
   * ready; `fallBack` sends it elsewhere (`tel:`) when the dialer is, or turns out, unavailable.
   */
  dialHere(e164: string, fallBack: () => void): void {
    if (this.view.status === 'unavailable') {
      this.update({ current: { e164, why: 'fell-back' } });
      fallBack();
      return;
    }
    this.update({ current: { e164, why: 'dial' } });
    if (this.view.status === 'ready') {
      this.deps.post(dialCommand(e164));
      this.lastDial = { e164, at: this.now() };
      return;
    }
    this.chosen = { e164, fallBack };
    // A click from Sellsy waiting for the dialer is older than this choice: it ends without a
    // call (claimed, so it does not go to tel: either), and only this number is dialled.
    const superseded = this.waiting;
    this.waiting = undefined;
    if (superseded) void this.deps.claim(superseded.id).catch(() => undefined);
  }

  private async dial(request: DialRequest): Promise<void> {
    this.waiting = undefined;
    // Only a request the background still holds is dialed: one it already sent to tel: is not.
    const claimed = await this.deps.claim(request.id).catch(() => undefined);
    if (!claimed) return;
    if (this.deps.anyWindow) this.update({ current: { e164: claimed.e164, why: 'dial' } });
    this.deps.post(dialCommand(claimed.e164));
    this.lastDial = { e164: claimed.e164, at: this.now() };
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private unavailable(reason: FallbackReason): void {
    if (this.view.status === 'ready') return;
    this.update({ status: 'unavailable', reason });
    const chosen = this.chosen;
    this.chosen = undefined;
    if (chosen) {
      this.update({ current: { e164: chosen.e164, why: 'fell-back' } });
      chosen.fallBack();
    }
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) void this.deps.giveUp(waiting.id, reason);
  }

  private update(change: Partial<PanelView>): void {
    this.view = { ...this.view, ...change };
    this.deps.onChange(this.view);
  }
}
