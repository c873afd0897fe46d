/**
 * Issue 26, "How calls open" in the guide: the administrator's policy may set the call target.
 * The guide then judges, tries and words the step with the policy's target (policy wins, as
 * everywhere else): "Try it" opens what a click in Sellsy opens, the microphone is asked only for
 * the dialer, and the step is done without a "Keep this choice" the person cannot make.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '@/entrypoints/guide/App';
import { alloUserChoice } from '@/lib/calls/whose-calls';
import type { Status } from '@/lib/connection/status';
import { onMessage } from '@/lib/messaging';
import { callTargetChosenSetting, callTargetSetting } from '@/lib/settings';

const status: Status = {
  sellsy: { state: 'connected', staff: { id: 1, name: 'Camille Martin', email: 'camille@example.fr' } },
  allo: { state: 'connected', scopes: ['CONVERSATIONS_READ', 'USERS_READ'] },
  sync: { running: false, cached: 3002, lastSuccessAt: 1 },
};

let root: HTMLElement;
let stops: Array<() => void> = [];
let dialerAsked = 0;

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string | string[]) =>
    [key, ...(Array.isArray(substitutions) ? substitutions : substitutions ? [substitutions] : [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  dialerAsked = 0;
  stops = [
    onMessage('getStatus', () => status),
    onMessage('listAlloUsers', () => [{ id: 'usr-1', name: 'Camille Martin' }]),
    onMessage('getRecordLinks', () => {
      const links = { appUrl: 'https://www.sellsy.com', paths: {} } as never;
      return { effective: links, user: { paths: {} } as never, defaults: links, managed: { appUrl: false, paths: [] } };
    }),
    onMessage('listAppHosts', () => ({ builtIn: ['www.sellsy.com'], hosts: [] })),
    onMessage('openDialer', () => {
      dialerAsked += 1;
      return { outcome: 'opened' as const };
    }),
  ];
  // Everything else is done: Sellsy, Allo, the first sync, whose calls.
  await alloUserChoice.setValue({ id: 'usr-1', name: 'Camille Martin', how: 'email' });
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  render(null, root);
  root.remove();
  for (const stop of stops) stop();
});

const step = (id: string) => root.querySelector<HTMLElement>(`section[aria-labelledby="step-${id}-title"]`);
const buttons = () => [...root.querySelectorAll('button')].map((button) => button.textContent ?? '');

describe('the guide, when the administrator set how calls open', () => {
  it('takes the policy’s target: the step is done, says who chose, and asks for no choice', async () => {
    // The user's own value: the dialer, never chosen; the policy says the desktop app.
    await callTargetSetting.setValue('allo-dialer');
    await fakeBrowser.storage.managed.set({ callTarget: 'tel' });
    render(h(App, {}), root);
    await expect.poll(() => step('calls-open')?.textContent ?? '').toContain('targetTel');
    await expect.poll(() => step('calls-open')?.querySelector('.step-state')?.textContent).toBe('guideDone');
    expect(step('calls-open')?.querySelector('.hint')?.textContent).toBe('guideStepCallsOpenManaged targetTel');
    expect(buttons()).not.toContain('guideKeepTarget');
    // No microphone for the desktop app, whatever the user's own value says.
    expect(step('microphone')?.querySelector('.step-state')?.textContent).toBe('guideDone');
    expect(step('microphone')?.textContent).toContain('guideStepMicrophoneNotNeeded');
    expect(root.textContent).toContain('guideAllDone');
  });

  it('“Try it” opens what a click in Sellsy opens: the policy’s target, not the user’s', async () => {
    await callTargetSetting.setValue('allo-dialer');
    await fakeBrowser.storage.managed.set({ callTarget: 'tel' });
    render(h(App, {}), root);
    await expect.poll(() => buttons().some((text) => text.startsWith('guideTryIt'))).toBe(true);
    const tryIt = [...root.querySelectorAll('button')].find((button) => button.textContent?.startsWith('guideTryIt'))!;
    tryIt.click();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(dialerAsked).toBe(0);
    // What only the person can judge is theirs to tell the administrator, not a choice to make here.
    expect(step('calls-open')?.textContent).toContain('guideTryItCheckManaged');
    // The policy's value is not copied into the user's own choice.
    expect(await callTargetSetting.getValue()).toBe('allo-dialer');
    expect(await callTargetChosenSetting.getValue()).toBe(false);
  });

  it('the policy’s dialer needs the microphone even where the user had picked the desktop app', async () => {
    await callTargetSetting.setValue('tel');
    await callTargetChosenSetting.setValue(true);
    await fakeBrowser.storage.managed.set({ callTarget: 'allo-dialer' });
    render(h(App, {}), root);
    await expect.poll(() => step('calls-open')?.textContent ?? '').toContain('targetAlloDialer');
    expect(step('microphone')?.textContent).not.toContain('guideStepMicrophoneNotNeeded');
  });

  it('without a policy, the person’s own choice is asked for as before', async () => {
    await callTargetSetting.setValue('allo-dialer');
    render(h(App, {}), root);
    await expect.poll(() => buttons()).toContain('guideKeepTarget');
    expect(step('calls-open')?.querySelector('.step-state')?.textContent).toBe('guideToDo');
    expect(step('calls-open')?.textContent).not.toContain('managedBadge');
  });
});
