/**
 * The popup in Chrome's 600 px (issue 26, items 1, 12, 13): one status line when all is well,
 * the cards back when something needs attention, one "Reconnect Sellsy" once Sellsy ended the
 * access, and a way forward on a build with no Sellsy API access yet.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { allWell } from '@/lib/connection/all-well';
import type { Status } from '@/lib/connection/status';
import { onMessage } from '@/lib/messaging';
import { App } from '@/entrypoints/popup/App';
import { DisconnectServices } from '@/components/DisconnectServices';

const NOW = Date.now();
const healthy: Status = {
  sellsy: { state: 'connected', staff: { id: 1, name: 'Camille Martin' } },
  allo: { state: 'connected', teamName: 'Équipe commerciale', scopes: ['CONVERSATIONS_READ', 'USERS_READ'] },
  sync: { running: false, cached: 1234, lastSuccessAt: NOW - 2 * 60_000 },
};
const withStatus = (over: Partial<Status>): Status => ({ ...healthy, ...over });

describe('all is well', () => {
  it('when both are connected with nothing to report and the contacts synced', () => {
    expect(allWell(healthy)).toEqual({
      sellsyName: 'Camille Martin',
      alloTeam: 'Équipe commerciale',
      contacts: 1234,
      syncedAt: NOW - 2 * 60_000,
      syncing: false,
    });
    // A later sync is a word on the line, not a card.
    expect(allWell(withStatus({ sync: { ...healthy.sync, running: true, phase: 'incremental' } }))).toMatchObject({ syncing: true });
  });

  it.each<[string, Partial<Status>]>([
    ['Sellsy not connected', { sellsy: { state: 'disconnected' } }],
    ['Sellsy revoked', { sellsy: { state: 'revoked' } }],
    ['no Sellsy API access', { sellsy: { state: 'unavailable' } }],
    ['Sellsy failing', { sellsy: { state: 'connected', staff: { id: 1, name: 'C' }, problem: 'network' } }],
    ['Allo not connected', { allo: { state: 'disconnected' } }],
    ['Allo failing', { allo: { state: 'connected', scopes: [], problem: 'invalid-key' } }],
    ['the first sync running', { sync: { running: true, phase: 'full', done: 10, total: 100 } }],
    ['never synced', { sync: { running: false } }],
    ['the last sync failed', { sync: { ...healthy.sync, lastError: { code: 'server', message: '500', at: NOW } } }],
  ])('not when %s', (_, over) => {
    expect(allWell(withStatus(over))).toBeNull();
  });
});

describe('the popup', () => {
  let root: HTMLElement;
  let status = healthy;
  let removers: Array<() => void> = [];
  beforeEach(() => {
    fakeBrowser.reset();
    fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
    removers = [
      onMessage('getStatus', () => status),
      onMessage('listCalls', () => ({ calls: [], alloUser: { id: 'u1', name: 'Camille Martin', how: 'email' as const }, skipped: null })),
      onMessage('refreshCalls', () => undefined),
      onMessage('getSellsyClient', () => ({ source: 'none', buildHasClient: false, redirectUrl: 'https://id.chromiumapp.org/' }) as never),
    ];
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    render(null, root);
    for (const remove of removers) remove();
  });

  const show = async (shown: Status) => {
    status = shown;
    render(h(App, {}), root);
    await expect.poll(() => root.querySelector('h2')).not.toBeNull();
  };
  const buttons = () => [...root.querySelectorAll('button')].map((button) => button.textContent);

  it('folds the connections into one line, with the settings and no Disconnect', async () => {
    await show({
      ...healthy,
      allo: { ...healthy.allo, rhythm: { intervalMs: 360_000, activeUsers: 90, usersAssumed: false, slowed: false, idleBrowser: false } } as Status['allo'],
    });
    const line = root.querySelector('.summary-line');
    expect(line?.textContent).toContain('Camille Martin');
    expect(line?.textContent).toContain('Équipe commerciale');
    expect(line?.textContent).toMatch(/popupContacts_other 1,234 .*min/);
    expect(line?.textContent).toContain('rhythmTeam_other 90 rhythmEveryMinutes_other 6');
    expect(root.querySelectorAll('section.card h2#sellsy-heading, section.card h2#allo-heading, section.card h2#sync-heading')).toHaveLength(0);
    expect(buttons()).toEqual(expect.arrayContaining(['syncNow', 'popupSettings', 'openGuide']));
    expect(buttons()).not.toContain('disconnectSellsy');
    expect(buttons()).not.toContain('disconnectAllo');
  });

  it('brings the cards back when something needs attention', async () => {
    await show(withStatus({ allo: { state: 'connected', scopes: [], problem: 'invalid-key' } }));
    expect(root.querySelector('.summary-line')).toBeNull();
    expect(root.querySelector('#allo-heading')).not.toBeNull();
    expect(root.textContent).toContain('alloProblemKey');
  });

  it('offers one "Reconnect Sellsy", with a reason, once Sellsy ended the access', async () => {
    await show(withStatus({ sellsy: { state: 'revoked' } }));
    expect(root.textContent).toContain('sellsyRevoked');
    expect(root.textContent).toContain('sellsyRevokedWhy');
    expect(buttons()).toContain('reconnectSellsy');
    expect(buttons()).not.toContain('connectSellsy');
    expect(buttons()).not.toContain('disconnectSellsy');
  });

  it('gives a salesperson a next step when no Sellsy API access exists yet', async () => {
    await show(withStatus({ sellsy: { state: 'unavailable' }, allo: { state: 'disconnected' } }));
    expect(root.textContent).toContain('sellsyUnavailable');
    await expect.poll(buttons).toContain('adminCopyInstructions');
    expect(buttons()).toContain('popupSetupOpen');
    expect(buttons()).not.toContain('connectSellsy');
  });
});

describe('Disconnect, for the options page', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
  });

  it.each<[string, Status, string[]]>([
    ['both connected', healthy, ['disconnectSellsy', 'disconnectAllo']],
    ['the administrator’s Allo key', withStatus({ allo: { ...healthy.allo, managed: true } as Status['allo'] }), ['disconnectSellsy']],
    ['Sellsy revoked, Allo not connected', withStatus({ sellsy: { state: 'revoked' }, allo: { state: 'disconnected' } }), ['disconnectSellsy']],
    ['nothing connected', withStatus({ sellsy: { state: 'disconnected' }, allo: { state: 'disconnected' } }), []],
  ])('offers what can be disconnected: %s', (_, status, expected) => {
    const done: string[] = [];
    const root = document.createElement('div');
    const connections = {
      status,
      disconnectSellsy: async () => void done.push('sellsy'),
      disconnectAllo: async () => void done.push('allo'),
    };
    render(h(DisconnectServices, { connections }), root);
    const found = [...root.querySelectorAll('button')];
    expect(found.map((button) => button.textContent)).toEqual(expected);
    for (const button of found) button.click();
    expect(done).toEqual(expected.map((key) => (key === 'disconnectSellsy' ? 'sellsy' : 'allo')));
    render(null, root);
  });
});
