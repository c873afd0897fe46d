/**
 * Who logs calls in Sellsy is a choice: this extension, or Allo's own Sellsy integration. With the
 * integration, the extension neither reads Allo for calls nor writes a Phone Call. When the
 * integration is seen logging a call for sure while the extension logs too, the popup offers
 * the switch, once.
 */
import 'fake-indexeddb/auto';
import { h, render } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CallLoggerOffer } from '@/components/CallLoggerOffer';
import type { AlloClient } from '@/lib/allo/api-client';
import { answerIntegrationOffer, callLoggerSetting, integrationSeen, noteIntegrationLogs, readCallLogger } from '@/lib/calls/call-logger';
import { createCallLogging } from '@/lib/calls/call-logging';
import { createPollSchedule } from '@/lib/calls/poll-schedule';
import { alloUserChoice } from '@/lib/calls/whose-calls';
import { sellsyConnection } from '@/lib/connection/connection-state';
import { alloApiKey } from '@/lib/connection/stores';

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
  await sellsyConnection.setValue({ state: 'connected', staff: { id: 42, name: 'Camille', email: 'camille@example.fr' } });
  await alloApiKey.setValue('key');
  await alloUserChoice.setValue({ id: 'usr-1', name: 'Camille', how: 'picked' });
});

function logging() {
  const poll = vi.fn(async () => 0);
  const run = vi.fn(async () => undefined);
  const retry = vi.fn(async () => undefined);
  // Any request to Allo (the budget's facts, a search) goes through here.
  const request = vi.fn(async () => {
    throw new Error('no Allo request expected');
  });
  const allo = { me: request, users: request, takeTally: () => ({ writes: 1, busy: false, answers: 1 }) };
  const calls = createCallLogging({
    allo: allo as unknown as AlloClient,
    poller: { poll },
    pipeline: { run, retry, contactAdded: vi.fn(async () => undefined) },
    schedule: createPollSchedule({ allo, sellsyTabOpen: async () => true }),
    sellsyAvailable: async () => true,
    afterPass: async () => undefined,
  });
  return { calls, poll, run, retry, request };
}

describe('who logs calls', () => {
  it('this extension, by default: it reads Allo and logs', async () => {
    const { calls, poll, run } = logging();
    await calls.pollNow();
    expect(poll).toHaveBeenCalledOnce();
    expect(run).toHaveBeenCalledOnce();
  });

  it('Allo’s integration: no Allo request for calls, nothing posted, Retry does nothing; copies already written are still settled', async () => {
    await callLoggerSetting.setValue('allo-integration');
    const { calls, poll, run, retry, request } = logging();
    await calls.logCalls();
    await calls.refreshCalls();
    await calls.retryCall('cll-1');
    await calls.pollNow();
    await calls.contactsChanged();
    expect(poll).not.toHaveBeenCalled();
    expect(request).not.toHaveBeenCalled();
    expect(run.mock.calls.length).toBeGreaterThan(0);
    for (const [options] of run.mock.calls as unknown as Array<[{ settleOnly: boolean }]>) expect(options.settleOnly).toBe(true);
    expect(retry).not.toHaveBeenCalled();
  });

  it('the administrator’s choice wins', async () => {
    await fakeBrowser.storage.managed.set({ callLogger: 'allo-integration' });
    expect(await readCallLogger()).toBe('allo-integration');
    await fakeBrowser.storage.managed.set({ callLogger: 'somebody-else' });
    await callLoggerSetting.setValue('extension');
    expect(await readCallLogger()).toBe('extension');
  });
});

describe('the offer to let Allo’s integration log the calls', () => {
  const shown = async () => {
    const root = document.createElement('div');
    render(h(CallLoggerOffer, {}), root);
    await vi.waitFor(() => expect(root.textContent).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 20));
    return root;
  };

  it('is not shown until the integration is seen logging a call', async () => {
    expect((await shown()).querySelector('button')).toBeNull();
  });

  it('is shown once seen; switching makes the integration log, and it is not offered again', async () => {
    await noteIntegrationLogs(1000);
    await noteIntegrationLogs(2000);
    expect(await integrationSeen.getValue()).toEqual({ seenAt: 1000 });
    const root = await shown();
    expect(root.textContent).toContain('callLoggerOfferText');
    const [switchButton] = [...root.querySelectorAll('button')];
    switchButton!.click();
    await vi.waitFor(async () => expect(await integrationSeen.getValue()).toEqual({ seenAt: 1000, answered: true }));
    expect(await readCallLogger()).toBe('allo-integration');
    expect((await shown()).querySelector('button')).toBeNull();
  });

  it('keeping this extension is remembered too', async () => {
    await noteIntegrationLogs(1000);
    await answerIntegrationOffer(false);
    expect(await readCallLogger()).toBe('extension');
    expect((await shown()).querySelector('button')).toBeNull();
  });
});
