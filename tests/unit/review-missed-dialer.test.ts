/**
 * Hostile review of the missed-call notifications (issue 20 item 6), the dialer's side. Allo has
 * not published `missed_call` (docs/sellsy-and-allo.md): the panel must not take for a missed
 * incoming call what may be Allo saying that the person's own outgoing call went unanswered.
 */
import { describe, expect, it } from 'vitest';
import type { DialerEvent } from '@/lib/dialer/protocol';
import { OWN_CALL_RINGS_MS, PanelSession } from '@/lib/dialer/panel-session';

const ORIGIN = 'https://web.withallo.com';
const MARIE = '+33612345678';
const PAUL = '+33698765400';

function panel(now: () => number = () => 0) {
  const reported: DialerEvent[] = [];
  const session = new PanelSession({
    dialerOrigin: ORIGIN,
    windowId: 1,
    post: () => undefined,
    claim: async () => undefined,
    giveUp: async () => undefined,
    report: (event) => reported.push(event),
    online: () => true,
    onChange: () => undefined,
    now,
  });
  const hear = (type: string, phoneNumber: string) => session.receive({ origin: ORIGIN, data: { source: 'allo-dialer', type, payload: { phoneNumber } } });
  return { reported, hear };
}

describe('`missed_call` in the dialer', () => {
  it('right after the person’s own call to that number is not a missed call: nothing to notify', () => {
    const { reported, hear } = panel();
    hear('outgoing_call', MARIE);
    hear('missed_call', MARIE);
    expect(reported.filter((event) => event.type === 'missed')).toEqual([]);
  });

  it('after an incoming call, or from another number than the one called, is one', () => {
    const { reported, hear } = panel();
    hear('outgoing_call', MARIE);
    hear('missed_call', PAUL);
    hear('incoming_call', MARIE);
    hear('missed_call', MARIE);
    expect(reported.filter((event) => event.type === 'missed')).toEqual([
      { type: 'missed', e164: PAUL },
      { type: 'missed', e164: MARIE },
    ]);
  });

  it('long after the person’s call to that number is one (Allo’s incoming event may have another name)', () => {
    let now = 0;
    const { reported, hear } = panel(() => now);
    hear('outgoing_call', MARIE);
    now = OWN_CALL_RINGS_MS + 1;
    hear('missed_call', MARIE);
    expect(reported.filter((event) => event.type === 'missed')).toEqual([{ type: 'missed', e164: MARIE }]);
  });

  it('with no call seen before it (the panel opened while it rang) is one', () => {
    const { reported, hear } = panel();
    hear('missed_call', MARIE);
    expect(reported).toEqual([{ type: 'missed', e164: MARIE }]);
  });
});
