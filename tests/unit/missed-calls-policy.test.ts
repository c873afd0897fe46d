/**
 * The administrator's `missedCallNotifications`: it wins over the user's option both ways, and
 * turning the notifications off by policy takes back those shown, as the user's option does.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { parseManagedSettings } from '@/lib/policy/managed-settings';
import { missedCallNotificationsSetting, readMissedCallNotifications } from '@/lib/settings';
import { MARIE, missedCallsBackground } from '../support/missed-calls';

const shown = () => Object.keys(fakeBrowser.notifications.getAllCreateOptions());

beforeEach(() => {
  fakeBrowser.reset();
});

describe('the policy key', () => {
  it('is a boolean: anything else is left out', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(parseManagedSettings({ missedCallNotifications: false })).toEqual({ missedCallNotifications: false });
    expect(parseManagedSettings({ missedCallNotifications: 'no' })).toEqual({});
    warn.mockRestore();
  });

  it.each([
    [undefined, undefined, true],
    [undefined, false, false],
    [false, true, false],
    [true, false, true],
  ])('policy %s, user %s: notifications %s', async (policy, user, expected) => {
    if (policy !== undefined) await fakeBrowser.storage.managed.set({ missedCallNotifications: policy });
    if (user !== undefined) await missedCallNotificationsSetting.setValue(user);
    expect(await readMissedCallNotifications()).toBe(expected);
  });
});

describe('the administrator turning them off', () => {
  it('shows none afterwards', async () => {
    await fakeBrowser.storage.managed.set({ missedCallNotifications: false });
    const app = missedCallsBackground();
    await app.dialerEvent({ type: 'missed', e164: MARIE });
    expect(shown()).toEqual([]);
  });

  it('takes back those already shown, as the user turning them off does', async () => {
    const app = missedCallsBackground();
    await app.dialerEvent({ type: 'missed', e164: MARIE });
    expect(shown()).toHaveLength(1);
    await fakeBrowser.storage.managed.set({ missedCallNotifications: false });
    await vi.waitFor(() => expect(shown()).toEqual([]));
  });
});
