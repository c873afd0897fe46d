/**
 * How many requests one browser sends to Allo, measured on the real background wiring
 * (createBackgroundApp + registerHandlers, WXT's fake browser, the local Allo and Sellsy) with
 * the real popup component rendered in a happy-dom window (the servers need Node's environment). Simulated minutes: Date is faked, each
 * minute fires the poll alarm, then the background is given real time to go quiet.
 * Used by the unit test that holds the budget and by `npm run bench`.
 */
import 'fake-indexeddb/auto';
import { Window } from 'happy-dom';
import { h, render } from 'preact';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RecentCalls } from '@/components/RecentCalls';
import { createBackgroundApp } from '@/lib/background/create-app';
import { registerHandlers } from '@/lib/background/register-handlers';
import { CALL_POLL_ALARM } from '@/lib/background/alarms';
import { readConfig } from '@/lib/config';
import { sellsyConnection } from '@/lib/connection/connection-state';
import { alloApiKey, tokenStore } from '@/lib/connection/stores';
import { startAlloServer, type AlloServer } from '../servers/allo';
import { startSellsyServer, type SellsyServer } from '../servers/sellsy';
import { noAppHosts } from './no-app-hosts';

export interface Traffic {
  allo: AlloServer;
  sellsy: SellsyServer;
  /** Runs `minutes` simulated minutes (alarm each minute); the Allo requests sent meanwhile. */
  minutes(minutes: number): Promise<number>;
  /** Renders the popup's call list, as opening the popup does; its root element. */
  openPopup(): Promise<Element>;
  /** The open popup's root element. */
  popup(): Element | undefined;
  closePopup(): void;
  close(): Promise<void>;
}

const MINUTE = 60_000;

/**
 * Waits (real time) until neither server got a request for `quietMs`, or `maxMs` passed. Quiet
 * means longer than a rate limiter's wait (1.1 s), which is not the end of the work.
 */
async function settle(servers: { requests: unknown[] }[], quietMs = 1_500, maxMs = 6_000): Promise<void> {
  const start = performance.now();
  let seen = -1;
  let since = performance.now();
  while (performance.now() - start < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const count = servers.reduce((sum, server) => sum + server.requests.length, 0);
    if (count !== seen) {
      seen = count;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return;
  }
}

/**
 * A connected browser whose user has a few calls in every state that keeps polling busy: one
 * logged, one missed, one waiting for its contact, one still without its summary.
 */
export async function startTraffic(): Promise<Traffic> {
  // Date moves with real time too (rate limiters and timestamps need it), by the millisecond.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, advanceTimeDelta: 1 });
  vi.setSystemTime(Date.parse('2026-11-28T09:00:00Z'));
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
  const [sellsy, allo] = await Promise.all([
    startSellsyServer({ seed: { contacts: 20, companies: 5, individuals: 0, seed: 3 }, accessTokenTtlS: 365 * 86_400 }),
    startAlloServer({ now: () => Date.now() }),
  ]);
  sellsy.crm.addContact({ first_name: 'Marie', last_name: 'Dupont', mobile_number: '06 12 34 56 78' });
  const tokens = sellsy.issueTokens();
  await tokenStore.set({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: Date.now() + tokens.expires_in * 1000 });
  await sellsyConnection.setValue({ state: 'connected', staff: { id: sellsy.staff.id, name: 'Camille Martin', email: sellsy.staff.email } });
  await alloApiKey.setValue('allo-sandbox-key');

  const config = readConfig({
    WXT_SELLSY_CLIENT_ID: sellsy.clientId,
    WXT_SELLSY_API_URL: sellsy.apiUrl,
    WXT_SELLSY_TOKEN_URL: sellsy.tokenUrl,
    WXT_ALLO_API_URL: allo.apiUrl,
  });
  const app = createBackgroundApp({
    config,
    identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
    storageClosed: Promise.resolve(true),
    action: fakeBrowser.action,
    i18n: fakeBrowser.i18n,
    ...noAppHosts(),
  });
  registerHandlers(app, { isTrusted: () => true, isOwnPage: () => true });
  fakeBrowser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CALL_POLL_ALARM) void app.logCalls();
  });
  await app.syncIfConnected();

  let root: HTMLElement | undefined;
  const traffic: Traffic = {
    allo,
    sellsy,
    async minutes(minutes) {
      const before = allo.requests.length;
      for (let i = 0; i < minutes; i++) {
        vi.setSystemTime(Date.now() + MINUTE);
        await fakeBrowser.alarms.onAlarm.trigger({ name: CALL_POLL_ALARM, scheduledTime: Date.now(), periodInMinutes: 1, persistAcrossSessions: true });
        await settle([allo, sellsy]);
      }
      return allo.requests.length - before;
    },
    async openPopup() {
      const window = new Window();
      vi.stubGlobal('window', window);
      vi.stubGlobal('document', window.document);
      vi.stubGlobal('navigator', window.navigator);
      const element = window.document.createElement('div');
      window.document.body.append(element);
      root = element as unknown as HTMLElement;
      render(h(RecentCalls, { alloConnected: true }), root);
      await settle([allo, sellsy]);
      return root;
    },
    popup: () => root,
    closePopup() {
      if (root) render(null, root);
      root?.remove();
      root = undefined;
    },
    async close() {
      traffic.closePopup();
      await settle([allo, sellsy]);
      await Promise.all([allo.close(), sellsy.close()]);
      vi.useRealTimers();
      vi.unstubAllGlobals();
    },
  };
  // Connected (saving the key polls at once, as the popup's refresh does here), then calls came
  // in the next 45 minutes; the polls found and logged what they could.
  await app.refreshCalls();
  await traffic.minutes(1);
  vi.setSystemTime(Date.now() + 45 * MINUTE);
  const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE);
  allo.calls.add({ contact_number: '+33612345678', summary: 'Devis envoyé.', date: ago(40), duration: 120 });
  allo.calls.add({ contact_number: '+33612345678', result: null, duration: 0, date: ago(30) });
  allo.calls.add({ contact_number: '+33699000111', summary: 'Inconnu.', date: ago(20) });
  allo.calls.add({ contact_number: '+33612345678', summary: null, date: ago(18), duration: 60 });
  await traffic.minutes(2);
  return traffic;
}
