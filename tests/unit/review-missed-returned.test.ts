/**
 * Hostile review of the missed-call notifications (issue 20 item 6): a missed call the person
 * has already returned — they called back at once, or took the caller's next call — is no
 * longer news. Without this, a poll that reads the missed call while the person is on the
 * phone with that caller (Allo lists a call only once it has ended) shows "Missed call" during
 * the very call that returned it, and that notification stays until closed.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readNotedMissedCalls } from '@/lib/missed-calls/missed-call-notifier';
import { alloCall, iso, MARIE, MIN, missedCallNotifier, missedCallsBackground, NOW, PAUL, shownNotifications } from '../support/missed-calls';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('the poller reads a missed call and a later call with that number', () => {
  it('the missed call is not notified (called back, or the caller’s next call taken), but noted', async () => {
    await missedCallNotifier().fromAllo([
      // Newest first, as Allo lists them.
      alloCall('cll-back', { direction: 'OUTBOUND', date: iso(NOW - 2 * MIN), result: 'ANSWERED', duration: 40 }),
      alloCall('cll-missed', { date: iso(NOW - 5 * MIN) }),
      alloCall('cll-taken', { contact_number: PAUL, date: iso(NOW - 3 * MIN), result: 'ANSWERED', duration: 90 }),
      alloCall('cll-paul-missed', { contact_number: PAUL, date: iso(NOW - 6 * MIN) }),
    ]);
    expect(shownNotifications()).toEqual({});
    // Noted all the same: a later poll that reads the missed call alone does not bring it back.
    expect((await readNotedMissedCalls()).map((call) => [call.alloId, call.notified])).toEqual([
      ['cll-missed', false],
      ['cll-paul-missed', false],
    ]);
  });

  it('a missed call after the person’s last call with that number is news', async () => {
    await missedCallNotifier().fromAllo([
      alloCall('cll-again', { date: iso(NOW - MIN) }),
      alloCall('cll-back', { direction: 'OUTBOUND', date: iso(NOW - 2 * MIN) }),
    ]);
    expect(Object.keys(shownNotifications())).toEqual([`missed:${MARIE}:4:cll-again`]);
  });

  it('a notification already shown goes (called back in Allo’s app, or from another browser)', async () => {
    await missedCallNotifier().fromAllo([alloCall('cll-missed')]);
    await missedCallNotifier({ now: () => NOW + 3 * MIN }).fromAllo([
      alloCall('cll-back', { direction: 'OUTBOUND', date: iso(NOW + MIN), result: null, duration: 0 }),
      alloCall('cll-missed'),
    ]);
    expect(shownNotifications()).toEqual({});
  });
});

describe('the person calls the number from the dialer', () => {
  it('a missed call Allo lists meanwhile (the call back is still going on) is not notified', async () => {
    const missed = missedCallNotifier();
    await missed.calledBack(MARIE);
    await missed.fromAllo([alloCall('cll-missed', { date: iso(NOW - 5 * MIN) })]);
    expect(shownNotifications()).toEqual({});
  });

  it('a notification already shown for that number goes; another caller’s stays', async () => {
    await missedCallNotifier().fromAllo([alloCall('cll-missed'), alloCall('cll-paul', { contact_number: PAUL })]);
    await missedCallNotifier({ now: () => NOW + MIN }).calledBack(MARIE);
    expect(Object.keys(shownNotifications())).toEqual([`missed:${PAUL}:4:cll-paul`]);
  });

  it('as the background hears it from the dialer: an outgoing call takes back that number’s notification', async () => {
    const app = missedCallsBackground();
    await app.dialerEvent({ type: 'missed', e164: MARIE });
    await app.dialerEvent({ type: 'missed', e164: PAUL });
    expect(Object.keys(shownNotifications())).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await app.dialerEvent({ type: 'call', direction: 'outgoing', e164: MARIE });
    expect(Object.keys(shownNotifications())).toEqual([expect.stringContaining(PAUL)]);
  });

  it('the caller ringing again (an incoming call) takes nothing back: it may be missed too', async () => {
    const app = missedCallsBackground();
    await app.dialerEvent({ type: 'missed', e164: MARIE });
    await app.dialerEvent({ type: 'call', direction: 'incoming', e164: MARIE });
    expect(Object.keys(shownNotifications())).toHaveLength(1);
  });
});
