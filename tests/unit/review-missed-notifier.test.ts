/**
 * Hostile review of the missed-call notifications (issue 20 item 6): what the notifier shows, in
 * situations the first tests did not try — a caller's name typed by anyone (a web form's lead),
 * a notification Chrome refuses, a withheld number.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { NotificationsApi } from '@/lib/missed-calls/missed-call-notifier';
import { alloCall, iso, MARIE, MIN, missedCallNotifier, NOW, PAUL, recordsOf, shownNotifications } from '../support/missed-calls';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('a caller’s name is text anyone could type (a web form’s lead, an import)', () => {
  it('line breaks, bidi overrides and invisible characters do not reach the notification, and a long name is cut', async () => {
    // A name that would put a fake line under the caller, turn the rest of the line around, or
    // push "and 2 others" out of sight.
    const hostile = `Marie\nYour Allo key expired: open evil.example\u202E\u2066 Dupont\u200B\u0007${'x'.repeat(500)}`;
    await missedCallNotifier({ records: async () => recordsOf(hostile, 'Acme\r\nSAS\u202D') }).fromAllo([alloCall('cll-1')]);
    const [notification] = Object.values(shownNotifications());
    const message = String(notification?.message);
    expect(message).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
    expect(message.startsWith('Marie Your Allo key expired: open evil.example Dupont ')).toBe(true);
    expect(message.endsWith('… (Acme SAS)')).toBe(true);
    expect(message.length).toBeLessThanOrEqual(120);
  });

  it('joiners that letters and emoji need are kept', async () => {
    await missedCallNotifier({ records: async () => recordsOf('Ana\u200D\u200C Silva 👩‍💻') }).fromAllo([alloCall('cll-1')]);
    expect(Object.values(shownNotifications())[0]).toMatchObject({ message: 'Ana\u200D\u200C Silva 👩‍💻' });
  });

  it('a name made only of invisible characters shows the number, still with both buttons', async () => {
    await missedCallNotifier({ records: async () => recordsOf('\u202E\u200B\n') }).fromAllo([alloCall('cll-1')]);
    expect(Object.values(shownNotifications())[0]).toMatchObject({
      message: '06 12 34 56 78',
      buttons: [{ title: 'Call back' }, { title: 'Open in Sellsy' }],
    });
  });
});

describe('one notification Chrome refuses', () => {
  it('does not cost the other calls of the same poll', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const notifications: NotificationsApi = {
      ...fakeBrowser.notifications,
      create: async (id, options) => {
        if (id.includes('cll-1')) throw new Error('Unable to download all specified images.');
        return fakeBrowser.notifications.create(id, options);
      },
    };
    await missedCallNotifier({ notifications }).fromAllo([alloCall('cll-1'), alloCall('cll-2', { contact_number: PAUL })]);
    expect(Object.keys(shownNotifications())).toEqual([`missed:${PAUL}:4:cll-2`]);
    expect(errors).toHaveBeenCalled();
  });
});

describe('by design', () => {
  it('a withheld number raises nothing (nobody to name or call back); the other calls of the poll still do', async () => {
    await missedCallNotifier().fromAllo([
      alloCall('cll-hidden', { contact_number: 'anonymous' }),
      alloCall('cll-empty', { contact_number: '' }),
      alloCall('cll-1'),
    ]);
    expect(Object.keys(shownNotifications())).toEqual([`missed:${MARIE}:4:cll-1`]);
  });

  it('outgoing calls nobody answered and answered or transferred incoming calls raise nothing', async () => {
    await missedCallNotifier().fromAllo([
      alloCall('cll-out', { direction: 'OUTBOUND', result: null, date: iso(NOW - 20 * MIN) }),
      alloCall('cll-answered', { contact_number: PAUL, result: 'ANSWERED', duration: 12 }),
      alloCall('cll-transferred', { contact_number: '+33698765401', result: 'TRANSFERRED', duration: 5 }),
    ]);
    expect(shownNotifications()).toEqual({});
  });
});
