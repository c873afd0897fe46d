import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { noAppHosts } from '../support/no-app-hosts';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ERROR_BADGE_COLOR, type BadgeAction } from '@/lib/background/badge';
import { createBackgroundApp } from '@/lib/background/create-app';
import { openCacheDb } from '@/lib/cache/open';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { readConfig } from '@/lib/config';

// createBackgroundApp with its browser edges injected: what a pass of the pipeline shows.

function fakeAction(): BadgeAction & { texts: string[]; colors: string[] } {
  const texts: string[] = [];
  const colors: string[] = [];
  return {
    texts,
    colors,
    setBadgeText: async ({ text }) => void texts.push(text ?? ''),
    setBadgeBackgroundColor: async ({ color }) => void colors.push(String(color)),
  };
}

const failedCall: CallRecord = {
  alloId: 'cll-failed',
  direction: 'OUTBOUND',
  alloNumber: '+33159000000',
  counterpart: '+33612345678',
  date: '2026-11-28T09:00:00Z',
  durationS: 30,
  result: 'ANSWERED',
  summary: null,
  recordingUrl: null,
  userId: 'usr-1',
  state: 'failed',
  error: { code: 'failed', message: 'Sellsy refused it.' },
  attempts: 1,
  nextAttemptAt: 0,
  firstSeenAt: 0,
  targets: [],
};

function app(clientId: string | undefined, action: BadgeAction) {
  return createBackgroundApp({
    config: readConfig(clientId ? { WXT_SELLSY_CLIENT_ID: clientId } : {}),
    identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
    storageClosed: Promise.resolve(true),
    action,
    i18n: { getMessage: (key) => key },
    ...noAppHosts(),
  });
}

describe('createBackgroundApp', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    const calls = new CallStore(openCacheDb());
    await calls.put(failedCall);
  });

  it('shows the calls in error on the badge after a pass', async () => {
    const action = fakeAction();
    await app('client-id', action).refreshCalls();
    expect(action.texts).toEqual(['1']);
    expect(action.colors).toEqual([ERROR_BADGE_COLOR]);
  });

  it('without a Sellsy client id, runs no pass and reports Sellsy unavailable', async () => {
    const action = fakeAction();
    const background = app(undefined, action);
    await background.refreshCalls();
    await background.retryCall(failedCall.alloId);
    expect(action.texts).toEqual([]);
    expect((await new CallStore(openCacheDb()).recent(10))[0]?.state).toBe('failed');
    expect((await background.getStatus({})).sellsy).toEqual({ state: 'unavailable' });
    expect(await background.connectSellsy()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

describe('a click while the dialer runs in a window of its own', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  function withPanel(panelOpen: boolean) {
    return createBackgroundApp({
      config: readConfig({}),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
      storageClosed: Promise.resolve(true),
      action: fakeAction(),
      i18n: { getMessage: (key) => key },
      sidePanel: { open: async () => undefined },
      sidePanelOpenIn: async (windowId) => panelOpen && windowId === 1,
      ...noAppHosts(),
    });
  }

  async function publishedId(): Promise<string> {
    let id: string | undefined;
    await expect
      .poll(async () => (id = ((await fakeBrowser.storage.session.get('dialerRequest')).dialerRequest as { id?: string } | undefined)?.id))
      .toBeTruthy();
    return id!;
  }

  it('goes to that dialer when the click’s window had no panel open', async () => {
    const background = withPanel(false);
    const outcome = background.openDialer({ tabId: 7, windowId: 1 }, '+33612345678');
    const id = await publishedId();
    expect(await background.claimDial(id, { windowId: 5, dialerWindow: true })).toMatchObject({ state: 'dialed', e164: '+33612345678' });
    expect(await background.claimDial(id, { windowId: 1 })).toBeNull();
    await expect(outcome).resolves.toEqual({ outcome: 'opened' });
  });

  it('stays with the panel of the click’s window when it was open', async () => {
    const background = withPanel(true);
    const outcome = background.openDialer({ tabId: 7, windowId: 1 }, '+33612345678');
    const id = await publishedId();
    expect(await background.claimDial(id, { windowId: 5, dialerWindow: true })).toBeNull();
    expect(await background.claimDial(id, { windowId: 1 })).toMatchObject({ state: 'dialed' });
    await expect(outcome).resolves.toEqual({ outcome: 'opened' });
  });
});
