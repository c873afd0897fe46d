/**
 * Issue 26: the setup flow speaks to the right person. The administrator's instructions carry the
 * real redirect URL and scopes; the options keep the administration last and confirm only a
 * real change of the API access; back-fill is a choice, then shown done; an unmatched e-mail is
 * said with the e-mail and a name to pick; how calls open shows one help, the selected one's.
 */
import { h, render, type VNode } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AdminInstructions } from '@/components/AdminInstructions';
import { BackfillChoice } from '@/components/BackfillChoice';
import { CallTargetChoice } from '@/components/CallTargetChoice';
import { GuideStep } from '@/components/guide/GuideStep';
import { TryCall } from '@/components/guide/TryCall';
import { SellsyApiAccess } from '@/components/SellsyApiAccess';
import { WhoseCallsChoice } from '@/components/WhoseCallsChoice';
import { callPollState } from '@/lib/calls/poll-state';
import { alloUserChoice, alloUserMiss } from '@/lib/calls/whose-calls';
import type { SellsyClientView } from '@/lib/connection/sellsy-client';
import type { SellsyAccessTest } from '@/lib/connection/sellsy-access-test';
import { adminInstructionsText } from '@/lib/guide/admin-instructions';
import { onMessage } from '@/lib/messaging';
import { SELLSY_SCOPES } from '@/lib/sellsy/scopes';
import { backfillChoices, backfillDaysSetting, callTargetChosenSetting, callTargetSetting } from '@/lib/settings';

const REDIRECT = 'https://mmckljamldhefiejejlhbcojnndnfpon.chromiumapp.org/';
let stops: Array<() => void> = [];
let roots: HTMLElement[] = [];

beforeEach(() => {
  fakeBrowser.reset();
  // Each message shows as its key and its substitutions, so a test reads which sentence is shown.
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string | string[]) =>
    [key, ...(Array.isArray(substitutions) ? substitutions : substitutions ? [substitutions] : [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
});

afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
  for (const root of roots) render(null, root);
  roots = [];
});

// biome-ignore lint/suspicious/noExplicitAny: any component's element mounts the same way
function mount(node: VNode<any>): HTMLElement {
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  render(node, root);
  return root;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const button = (root: HTMLElement, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === text);
const clientView = (view: Partial<SellsyClientView> = {}): SellsyClientView => ({
  source: 'none',
  hasSecret: false,
  buildHasClient: false,
  redirectUrl: REDIRECT,
  ...view,
});

describe('instructions for the administrator', () => {
  const text = adminInstructionsText({ redirectUrl: REDIRECT, extensionId: 'mmckljamldhefiejejlhbcojnndnfpon' }, (key, ...subs) => [key, ...subs].join(' '));

  it('carry the steps, the redirect URL and the scopes the extension really asks for', () => {
    for (const key of ['apiStepOpen', 'apiStepCreate', 'adminTextSendClient']) expect(text).toContain(key);
    expect(text).toContain(`apiStepRedirect ${REDIRECT}`);
    expect(text).toContain(`apiStepScopes ${SELLSY_SCOPES.join(' ')}`);
  });

  it('keep the Allo key’s scopes for the administrator, and give the policy with the extension’s id', () => {
    expect(text).toContain('adminTextAlloKey CONVERSATIONS_READ USERS_READ');
    const json = JSON.parse(text.slice(text.indexOf('{')));
    expect(Object.keys(json['3rdparty'].extensions)).toEqual(['mmckljamldhefiejejlhbcojnndnfpon']);
    expect(json['3rdparty'].extensions.mmckljamldhefiejejlhbcojnndnfpon).toHaveProperty('sellsyClientId');
  });

  it('are plain text a mail can hold: no markup', () => {
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('copy to the clipboard in one click, and say so', async () => {
    stops.push(onMessage('getSellsyClient', () => clientView()));
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const root = mount(h(AdminInstructions, { preview: false }));
    await expect.poll(() => button(root, 'adminCopyInstructions')?.disabled).toBe(false);
    button(root, 'adminCopyInstructions')!.click();
    await expect.poll(() => writeText.mock.calls.length).toBe(1);
    const copied = (writeText.mock.calls[0] as unknown as [string])[0];
    expect(copied).toContain(REDIRECT);
    expect(copied).toContain(SELLSY_SCOPES.join(' '));
    await expect.poll(() => root.querySelector('[role="status"]')?.textContent).toBe('adminCopied');
    // The popup only copies; the guide and the options can also show the text.
    expect(root.querySelector('pre')).toBeNull();
    const shown = mount(h(AdminInstructions, { preview: true }));
    await expect.poll(() => shown.querySelector('pre')?.textContent).toContain(REDIRECT);
  });
});

describe('Sellsy API access in the options', () => {
  function api(view: SellsyClientView, test: SellsyAccessTest = { outcome: 'client-known' }) {
    const saved: unknown[] = [];
    stops.push(
      onMessage('getSellsyClient', () => view),
      onMessage('setSellsyClient', ({ data }) => {
        saved.push(data.client);
        return { ok: true, status: { sellsy: { state: 'disconnected' }, allo: { state: 'disconnected' }, sync: { running: false } } };
      }),
      onMessage('testSellsyAccess', () => test),
    );
    return { saved, root: mount(h(SellsyApiAccess, { onSaved: () => undefined })) };
  }
  async function type(root: HTMLElement, id: string, value: string) {
    await expect.poll(() => root.querySelector(`#${id}`)).not.toBeNull();
    const input = root.querySelector<HTMLInputElement>(`#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await tick();
  }

  it('saves a first API access at once: there is nothing to lose, so no warning', async () => {
    const { saved, root } = api(clientView());
    await type(root, 'client-id', 'acme-private-7f3a');
    button(root, 'apiAccessSave')!.click();
    await expect.poll(() => saved).toEqual([{ clientId: 'acme-private-7f3a' }]);
    expect(root.textContent).not.toContain('apiAccessConfirmChange');
  });

  it('asks before a change that disconnects Sellsy; keeping the current one saves nothing', async () => {
    const { saved, root } = api(clientView({ source: 'user', clientId: 'acme-private-7f3a' }));
    await expect.poll(() => root.querySelector<HTMLInputElement>('#client-id')?.value).toBe('acme-private-7f3a');
    expect(root.textContent).not.toContain('apiAccessConfirmChange');
    await type(root, 'client-id', 'acme-other-0001');
    button(root, 'apiAccessSave')!.click();
    await expect.poll(() => root.textContent).toContain('apiAccessConfirmChange');
    button(root, 'apiAccessCancel')!.click();
    await tick();
    expect(saved).toEqual([]);
    button(root, 'apiAccessSave')!.click();
    await expect.poll(() => button(root, 'apiAccessConfirm')).toBeDefined();
    button(root, 'apiAccessConfirm')!.click();
    await expect.poll(() => saved).toEqual([{ clientId: 'acme-other-0001' }]);
  });

  it('what cannot be a client id is sent to be refused at once, not confirmed first', async () => {
    const { saved, root } = api(clientView({ source: 'user', clientId: 'acme-private-7f3a' }));
    await type(root, 'client-id', 'https://www.sellsy.com/developer');
    button(root, 'apiAccessSave')!.click();
    await expect.poll(() => saved).toEqual([{ clientId: 'https://www.sellsy.com/developer' }]);
    expect(root.textContent).not.toContain('apiAccessConfirmChange');
  });

  it('saving the same access again is no change: no confirmation', async () => {
    const { saved, root } = api(clientView({ source: 'user', clientId: 'acme-private-7f3a' }));
    await expect.poll(() => root.querySelector<HTMLInputElement>('#client-id')?.value).toBe('acme-private-7f3a');
    button(root, 'apiAccessSave')!.click();
    await expect.poll(() => saved).toHaveLength(1);
    expect(root.textContent).not.toContain('apiAccessConfirmChange');
  });

  it.each<[SellsyAccessTest, string]>([
    [{ outcome: 'connected', name: 'Camille Martin' }, 'apiTestConnected Camille Martin'],
    [{ outcome: 'client-known' }, 'apiTestKnown'],
    [{ outcome: 'failed', error: { code: 'unknown-client', message: 'unknown' } }, 'apiTestFailed errUnknownClient'],
    [{ outcome: 'failed', error: { code: 'network', message: 'offline' } }, 'apiTestFailed errNetwork'],
  ])('Test the connection asks the background and says what Sellsy answered (%o)', async (result, shown) => {
    const { root } = api(clientView({ source: 'user', clientId: 'acme-private-7f3a' }), result);
    await expect.poll(() => button(root, 'apiTest')).toBeDefined();
    button(root, 'apiTest')!.click();
    await expect.poll(() => root.querySelector('.access-test [role="status"]')?.textContent).toBe(shown);
  });

  it('an access the administrator set is shown locked, and can still be tested', async () => {
    const { root } = api(clientView({ source: 'managed', clientId: 'acme-policy' }));
    await expect.poll(() => root.textContent).toContain('apiAccessManaged acme-policy');
    expect(root.querySelector('input')).toBeNull();
    expect(button(root, 'apiTest')).toBeDefined();
  });
});

describe('back-fill', () => {
  it('is a choice of none, 7 or 30 days, saved as days', async () => {
    const root = mount(h(BackfillChoice, { onSaved: () => undefined }));
    await expect.poll(() => root.querySelector('select#backfill')).not.toBeNull();
    const select = root.querySelector<HTMLSelectElement>('#backfill')!;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['0', 'backfillNone'],
      ['7', 'backfillDays_other 7'],
      ['30', 'backfillDays_other 30'],
    ]);
    select.value = '30';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.poll(() => backfillDaysSetting.getValue()).toBe(30);
  });

  it('keeps a value set another way visible as itself', () => {
    expect(backfillChoices(3)).toEqual([0, 3, 7, 30]);
    expect(backfillChoices(99)).toEqual([0, 7, 30]);
  });

  it('once Allo’s calls were first read, is shown done with the date logging started from, and offers nothing to change', async () => {
    const since = Date.UTC(2026, 10, 28, 12);
    const root = mount(h(BackfillChoice, { onSaved: () => undefined }));
    await expect.poll(() => root.querySelector('select#backfill')).not.toBeNull();
    await callPollState.setValue({ userId: 'usr-1', since, watermark: since });
    await expect.poll(() => root.querySelector('select')).toBeNull();
    expect(root.textContent).toMatch(/backfillDone November 28/);
  });
});

describe('whose calls', () => {
  const users = [
    { id: 'usr-1', name: 'Camille Martin', email: 'camille.martin@acme.fr' },
    { id: 'usr-2', name: 'Léa Petit', email: 'lea@acme.fr' },
  ];
  function whose() {
    const picked: unknown[] = [];
    stops.push(
      onMessage('listAlloUsers', () => users),
      onMessage('setAlloUser', ({ data }) => void picked.push(data.user)),
    );
    return { picked, root: mount(h(WhoseCallsChoice, { onSaved: () => undefined })) };
  }

  it('no Allo user has the Sellsy e-mail: says so with the e-mail looked for, and the person picks their name there', async () => {
    await alloUserMiss.setValue({ email: 'camille@acme.fr', at: Date.now() });
    const { picked, root } = whose();
    await expect.poll(() => root.querySelector('[role="alert"]')?.textContent).toBe('whoseCallsNoMatch camille@acme.fr');
    await expect.poll(() => root.querySelectorAll('option').length).toBe(3);
    const select = root.querySelector<HTMLSelectElement>('#allo-user')!;
    expect(select.options[0]?.textContent).toBe('whoseCallsPickName');
    select.value = 'usr-1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.poll(() => picked).toEqual([users[0]]);
  });

  it('a match by e-mail, or no miss yet: no alarm', async () => {
    await alloUserChoice.setValue({ id: 'usr-1', name: 'Camille Martin', how: 'email' });
    await alloUserMiss.setValue({ email: 'old@acme.fr', at: Date.now() });
    const { root } = whose();
    await expect.poll(() => root.querySelectorAll('option').length).toBe(3);
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(root.querySelector('option')?.textContent).toBe('whoseCallsMatched Camille Martin');
  });
});

describe('how calls open', () => {
  it('shows the help of the selected option only, and it follows the selection', async () => {
    await callTargetSetting.setValue('tel');
    const root = mount(h(CallTargetChoice, { onSaved: () => undefined }));
    await expect.poll(() => root.querySelector('.hint')?.textContent).toBe('targetHelp');
    expect(root.querySelectorAll('.hint')).toHaveLength(1);
    const select = root.querySelector('select')!;
    select.value = 'callto';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.poll(() => root.querySelector('.hint')?.textContent).toBe('targetCalltoHelp');
    // The options record a pick as the person's choice.
    await expect.poll(() => callTargetChosenSetting.getValue()).toBe(true);
  });

  it('in the guide, a pick alone does not finish the step: Keep this choice or a Try it does', async () => {
    await callTargetSetting.setValue('tel');
    const root = mount(h(CallTargetChoice, { onSaved: () => undefined, commit: false }));
    await expect.poll(() => root.querySelector('select')?.value).toBe('tel');
    const select = root.querySelector('select')!;
    select.value = 'allo-web';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.poll(() => callTargetSetting.getValue()).toBe('allo-web');
    expect(await callTargetChosenSetting.getValue()).toBe(false);
  });

  it.each([
    ['opened', 'opened', ''],
    ['fallback', 'fell-back', 'guideTryItFellBack'],
  ] as const)('Try it with the dialer: %s is reported as %s', async (answer, outcome, shown) => {
    stops.push(onMessage('openDialer', () => ({ outcome: answer })));
    const tried: string[] = [];
    const root = mount(h(TryCall, { target: 'allo-dialer', onTried: (result) => void tried.push(result) }));
    root.querySelector('button')!.click();
    await expect.poll(() => tried).toEqual([outcome]);
    expect(root.querySelector('[role="status"]')?.textContent).toBe(shown);
  });

  it('Try it with the desktop app: handed over, and the person is asked to check that Allo opened', async () => {
    const tried: string[] = [];
    const root = mount(h(TryCall, { target: 'tel', onTried: (result) => void tried.push(result) }));
    root.querySelector('button')!.click();
    expect(tried).toEqual(['handed-over']);
    await expect.poll(() => root.querySelector('[role="status"]')?.textContent).toBe('guideTryItCheck');
  });
});

describe('guide steps', () => {
  const step = (done: boolean, current: boolean) =>
    h(GuideStep, { id: 's', title: 'guideStepAllo', done, current, summary: 'summary', children: h('p', {}, 'body') });

  it('the current step is open; as it turns done it folds, and it can still be opened', async () => {
    const root = mount(step(false, true));
    const body = () => root.querySelector<HTMLElement>('#s-body')!;
    expect(body().hidden).toBe(false);
    render(step(true, false), root);
    await expect.poll(() => body().hidden).toBe(true);
    root.querySelector<HTMLButtonElement>('button.link')!.click();
    await expect.poll(() => body().hidden).toBe(false);
  });

  it('a step already done when the guide opens starts folded', () => {
    const root = mount(step(true, false));
    expect(root.querySelector<HTMLElement>('#s-body')!.hidden).toBe(true);
  });
});

describe('the words of the setup', () => {
  type Messages = Record<string, { message: string }>;
  const read = async (locale: string): Promise<Messages> => (await import(`../../public/_locales/${locale}/messages.json`)).default;

  it.each(['en', 'fr'])('%s: the salesperson asks their Allo administrator for the team’s key; scopes are for the administrator’s text', async (locale) => {
    const messages = await read(locale);
    for (const key of ['alloKeyHelp', 'alloErrInvalid', 'alloErrRevoked', 'alloErrMissingCallsScope', 'alloProblemScope', 'alloProblemKey']) {
      expect(messages[key]?.message, key).toMatch(locale === 'en' ? /Allo administrator/ : /administrateur Allo/);
      expect(messages[key]?.message, key).not.toMatch(/CONVERSATIONS_READ|USERS_READ|Settings → API|Paramètres → API/);
    }
    expect(messages.adminTextAlloKey?.message).toContain('$SCOPES$');
  });

  it.each(['en', 'fr'])('%s: “Create lead for unknown calls” keeps Allo’s name and says it creates a Sellsy contact', async (locale) => {
    const messages = await read(locale);
    expect(messages.createLeads?.message).toMatch(locale === 'en' ? 'Create lead for unknown calls' : /Créer un lead/);
    expect(messages.createLeads?.message).not.toMatch(/prospect/i);
    expect(messages.createLeadsHelp?.message).toMatch(locale === 'en' ? /^Creates a Sellsy contact with the number/ : /^Crée un contact Sellsy avec le numéro/);
  });

  it.each(['en', 'fr'])('%s: the guide no longer promises a match within a minute, and callto: is named a fallback', async (locale) => {
    const messages = await read(locale);
    expect(messages.guideStepWhoseWhat?.message).not.toMatch(/minute/);
    expect(messages.targetCallto?.message).toMatch(locale === 'en' ? /fallback/ : /secours/);
    expect(messages.targetCalltoHelp?.message).toMatch(locale === 'en' ? /fallback/ : /secours/);
  });
});
