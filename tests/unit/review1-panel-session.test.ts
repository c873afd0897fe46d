/**
 * Hostile review of PanelSession.dialHere (a number chosen in the side panel's name search).
 * While the dialer is still loading a salesperson picks a number in the search, then clicks
 * another one in Sellsy (or the other way round): when the dialer becomes ready, one number is
 * dialled, the last one asked for. Two dial commands back to back ring one person and then,
 * or instead, the other.
 */
import { describe, expect, it } from 'vitest';
import type { DialRequest } from '@/lib/dialer/dial-requests';
import { PanelSession, type PanelView } from '@/lib/dialer/panel-session';
import { dialCommand } from '@/lib/dialer/protocol';

const ORIGIN = 'http://dialer.test';
const FROM_SEARCH = '+33612345678';
const FROM_SELLSY = '+33698765432';

function session() {
  const posted: unknown[] = [];
  const views: PanelView[] = [];
  const panel = new PanelSession({
    dialerOrigin: ORIGIN,
    post: (command) => posted.push(command),
    claim: async (id) => ({ id, tabId: 7, windowId: 1, e164: FROM_SELLSY, at: 0, state: 'dialed' }),
    giveUp: async () => undefined,
    report: () => undefined,
    online: () => true,
    onChange: (view) => views.push(view),
    readyTimeoutMs: 60_000,
    now: () => 0,
    windowId: 1,
  });
  const ready = () => panel.receive({ origin: ORIGIN, data: { source: 'allo-dialer', type: 'ready' } });
  const click: DialRequest = { id: 'd1', tabId: 7, windowId: 1, e164: FROM_SELLSY, at: 0, state: 'pending' };
  return { panel, posted, ready, click, view: () => views.at(-1) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('review 1: a number chosen in the panel while the dialer loads, and a click from Sellsy', () => {
  it('chosen in the search, then clicked in Sellsy: only the Sellsy click is dialled', async () => {
    const s = session();
    s.panel.start();
    s.panel.dialHere(FROM_SEARCH, () => undefined);
    s.panel.request(s.click);
    s.ready();
    await settle();
    s.panel.stop();
    expect(s.posted).toEqual([dialCommand(FROM_SELLSY)]);
  });

  it('clicked in Sellsy, then chosen in the search: only the number chosen last is dialled, and the panel shows it', async () => {
    const s = session();
    s.panel.start();
    s.panel.request(s.click);
    s.panel.dialHere(FROM_SEARCH, () => undefined);
    s.ready();
    await settle();
    s.panel.stop();
    expect(s.posted).toEqual([dialCommand(FROM_SEARCH)]);
    expect(s.view()?.current).toMatchObject({ e164: FROM_SEARCH });
  });
});
