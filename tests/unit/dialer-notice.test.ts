/**
 * The side panel when Allo's dialer is not activated (issue 26, item 15): a salesperson is told
 * to alert their administrator, the extension id waits for the administrator in a folded detail,
 * and nothing invites a click under the notice.
 */
import { h, render } from 'preact';
import { beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DialerNotice, dialerFellBack } from '@/components/DialerNotice';
import type { PanelView } from '@/lib/dialer/panel-session';

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
});

const ID = 'mmckljamldhefiejejlhbcojnndnfpon';

it('tells a salesperson to alert their administrator, with the id folded away for them', () => {
  const root = document.createElement('div');
  render(h(DialerNotice, { view: { status: 'unavailable', reason: 'not-ready', signedIn: false }, extensionId: ID }), root);
  expect(root.querySelector('[role="alert"]')?.textContent).toContain('panelNotReadyWhat');
  const details = root.querySelector('details');
  expect(details?.open).toBe(false);
  expect(details?.querySelector('summary')?.textContent).toBe('panelAdminDetails');
  expect(details?.querySelector('code')?.textContent).toBe(ID);
  // The id and its Copy button are inside the fold, not above it.
  expect([...root.querySelectorAll('code, button')].every((element) => details?.contains(element))).toBe(true);
  render(null, root);
});

it.each<[string, PanelView, boolean]>([
  ['dialer not ready', { status: 'unavailable', reason: 'not-ready', signedIn: false }, true],
  ['a click sent to the phone app', { status: 'ready', signedIn: true, current: { e164: '+33612345678', why: 'fell-back' } }, true],
  ['dialer loading', { status: 'loading', signedIn: false }, false],
  ['dialer ready', { status: 'ready', signedIn: true }, false],
])('invites a click only when the dialer can take it: %s', (_, view, fellBack) => {
  expect(dialerFellBack(view)).toBe(fellBack);
});
