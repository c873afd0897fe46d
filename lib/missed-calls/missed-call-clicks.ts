import { parseNotificationId } from './missed-call-rule';

interface ClickEvent<Args extends unknown[]> {
  addListener(listener: (...args: Args) => void): void;
}

/** The part of `chrome.notifications` a click needs. */
export interface NotificationClicks {
  onClicked: ClickEvent<[notificationId: string]>;
  onButtonClicked: ClickEvent<[notificationId: string, buttonIndex: number]>;
  clear(notificationId: string): Promise<unknown>;
}

/** What the buttons do (the background's `callBack` and `openInSellsy`). */
export interface MissedCallActions {
  /**
   * Called within the click's user gesture, before anything is awaited: Chrome opens the side
   * panel only then. `windowId`: the window in front when the notification was shown.
   */
  callBack(e164: string, windowId: number | undefined): Promise<void>;
  openInSellsy(e164: string, windowId: number | undefined): Promise<void>;
}

export const CALL_BACK_BUTTON = 0;
export const OPEN_IN_SELLSY_BUTTON = 1;

/**
 * Listens to clicks on the missed-call notifications. Registered when the service worker starts,
 * synchronously: a click on a notification shown before the worker stopped wakes it, and Chrome
 * delivers the click only to listeners added at start. The notification goes once acted on.
 * Notifications of another kind (none today) are left alone.
 */
export function registerMissedCallClicks(notifications: NotificationClicks, actions: MissedCallActions): void {
  const act = (id: string, button: number | undefined) => {
    const target = parseNotificationId(id);
    if (!target || (button !== undefined && button !== CALL_BACK_BUTTON && button !== OPEN_IN_SELLSY_BUTTON)) return;
    const done = button === CALL_BACK_BUTTON ? actions.callBack(target.e164, target.windowId) : actions.openInSellsy(target.e164, target.windowId);
    void done.catch((error: unknown) => console.error('Allo for Sellsy: a missed-call notification’s action failed', error));
    void notifications.clear(id).catch(() => undefined);
  };
  notifications.onButtonClicked.addListener((id, button) => act(id, button));
  // The notification itself: the record, as "Open in Sellsy" (nothing when no record has the number).
  notifications.onClicked.addListener((id) => act(id, undefined));
}
