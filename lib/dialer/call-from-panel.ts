import { storage } from '#imports';
import type { CallTarget } from '../allo/call-link';
import { type LaunchDeps, launchCall } from '../allo/launch-call';

/**
 * A number chosen in the side panel (the name search) goes where a click in Sellsy would: to the
 * dialer beside it when that is the call target, else to `tel:`, `callto:` or Allo's web app.
 * A dialer that is, or turns out, unavailable sends it to `tel:`, as a click's fallback does.
 */
export function callFromPanel(
  e164: string,
  callTarget: CallTarget,
  deps: Pick<LaunchDeps, 'doc' | 'openWebApp'> & { dialHere(e164: string, fallBack: () => void): void },
): void {
  const elsewhere = (target: CallTarget) => launchCall({ e164 }, target, { doc: deps.doc, openWebApp: deps.openWebApp });
  if (callTarget === 'allo-dialer') deps.dialHere(e164, () => elsewhere('tel'));
  else elsewhere(callTarget);
}

/** When the keyboard shortcut last asked for the search box: the panel focuses it then. */
export const searchFocusItem = storage.defineItem<number>('session:searchFocusAt', { fallback: 0, version: 1 });
/** A request older than this, found when the panel opens, was for another opening. */
export const SEARCH_FOCUS_FRESH_MS = 10_000;

/**
 * A missed call's "Call back" (lib/missed-calls/): the number for the side panel of `windowId`,
 * which calls it as if it was chosen there; without `windowId`, for the dialer in a window of its
 * own (the panel could not open). One panel takes it, once.
 */
export interface CallBackRequest {
  id: string;
  e164: string;
  at: number;
  windowId?: number;
}

export const callBackItem = storage.defineItem<CallBackRequest | null>('session:callBackRequest', { fallback: null, version: 1 });
/** A request older than this, found when a panel opens, was for another opening. */
export const CALL_BACK_FRESH_MS = 15_000;

/**
 * The number to call, when the request is fresh and this page's: the panel of its window, or a
 * dialer window for a request of no window. Taken once: the request is removed first.
 */
export function takeCallBack(page: { windowId: number; inWindow: boolean }, now = Date.now()): Promise<string | undefined> {
  // One take at a time: the panel's first look and the watch for a request set meanwhile can both
  // read the request before either removes it, and the number would be dialled twice.
  const take = taking.then(() => takeNow(page, now));
  taking = take.catch(() => undefined);
  return take;
}
let taking: Promise<unknown> = Promise.resolve();

async function takeNow(page: { windowId: number; inWindow: boolean }, now: number): Promise<string | undefined> {
  const request = await callBackItem.getValue();
  if (
    !request ||
    typeof request.e164 !== 'string' ||
    !/^\+\d{8,15}$/.test(request.e164) ||
    now - request.at > CALL_BACK_FRESH_MS ||
    request.at > now + CALL_BACK_FRESH_MS
  )
    return undefined;
  if (page.inWindow ? request.windowId !== undefined : request.windowId !== page.windowId) return undefined;
  await callBackItem.setValue(null);
  return request.e164;
}
