/**
 * Hostile review of the missed-call notifications (issue 20 item 6), as the background wires
 * them: the option turned off while notifications are shown, and Call back clicked when the
 * notified window is no longer in front.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { missedCallNotificationsSetting } from '@/lib/settings';
import { MARIE, missedCallsBackground } from '../support/missed-calls';

const shown = () => Object.keys(fakeBrowser.notifications.getAllCreateOptions());

beforeEach(() => {
  fakeBrowser.reset();
});

describe('the option turned off while notifications are shown', () => {
  it('takes them back (they stay until closed, otherwise), and leaves other notifications alone', async () => {
    const app = missedCallsBackground();
    await app.dialerEvent({ type: 'missed', e164: MARIE });
    await fakeBrowser.notifications.create('not-ours-to-judge', { type: 'basic', iconUrl: 'x', title: 't', message: 'm' });
    expect(shown()).toHaveLength(2);
    await missedCallNotificationsSetting.setValue(false);
    await vi.waitFor(() => expect(shown()).toEqual(['not-ours-to-judge']));
  });
});

describe('Call back, clicked when another window is in front', () => {
  it('brings the notified window to the front with its side panel, where the number waits', async () => {
    const id = (await fakeBrowser.windows.create({}))?.id;
    const focused = vi.spyOn(fakeBrowser.windows, 'update');
    await missedCallsBackground().callBack(MARIE, id);
    expect(focused).toHaveBeenCalledWith(id, { focused: true });
  });
});
