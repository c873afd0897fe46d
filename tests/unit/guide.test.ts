import { describe, expect, it, vi } from 'vitest';
import type { Status } from '@/lib/connection/status';
import { type GuideTabs, openGuide, openGuideOnInstall } from '@/lib/guide/open-guide';
import { currentStep, guideSteps } from '@/lib/guide/steps';

const URL = 'chrome-extension://id/guide.html';

function tabs(open: Array<{ tabId: number; windowId: number }>, focusFails = false) {
  const calls: string[] = [];
  const fake: GuideTabs = {
    findTabs: async (url) => {
      calls.push(`find ${url}`);
      return open;
    },
    focus: async (tabId) => {
      if (focusFails) throw new Error('No tab with id');
      calls.push(`focus ${tabId}`);
    },
    create: async (url) => {
      calls.push(`create ${url}`);
    },
  };
  return { fake, calls };
}

describe('openGuide', () => {
  it('opens the guide when none is open', async () => {
    const { fake, calls } = tabs([]);
    await openGuide(fake, URL);
    expect(calls).toEqual([`find ${URL}`, `create ${URL}`]);
  });

  it('focuses an open guide rather than stacking a second tab', async () => {
    const { fake, calls } = tabs([{ tabId: 4, windowId: 1 }]);
    await openGuide(fake, URL);
    expect(calls).toEqual([`find ${URL}`, 'focus 4']);
  });

  it('opens a new one when the open guide closed in between', async () => {
    const { fake, calls } = tabs([{ tabId: 4, windowId: 1 }], true);
    await openGuide(fake, URL);
    expect(calls).toEqual([`find ${URL}`, `create ${URL}`]);
  });
});

describe('openGuideOnInstall', () => {
  it.each([
    ['install', 1],
    ['update', 0],
    ['chrome_update', 0],
    ['shared_module_update', 0],
  ])('on %s opens the guide %i time(s)', (reason, times) => {
    let listener: (details: { reason: string }) => void = () => undefined;
    const open = vi.fn(async () => undefined);
    openGuideOnInstall({ addListener: (l) => (listener = l) }, open);
    listener({ reason });
    expect(open).toHaveBeenCalledTimes(times);
  });
});

const staff = { id: 1, name: 'Camille Martin', email: 'camille@example.fr' };
const fresh: Status = { sellsy: { state: 'disconnected' }, allo: { state: 'disconnected' }, sync: { running: false } };
const connected: Status = {
  sellsy: { state: 'connected', staff },
  allo: { state: 'connected', scopes: [] },
  sync: { running: false, cached: 3002, lastSuccessAt: 1 },
};
const user = { id: 'usr-1', name: 'Camille Martin', how: 'email' as const };

describe('guideSteps', () => {
  it('a fresh install: nothing done, Sellsy first', () => {
    const steps = guideSteps({ status: fresh, callTarget: 'tel', callTargetChosen: false, alloUser: null, microphone: 'prompt' });
    expect(steps.map((s) => s.done)).toEqual([false, false, false, false, false, false]);
    expect(currentStep(steps)).toBe('sellsy');
  });

  it('Sellsy connected with the first sync running: Allo is next, the sync not done', () => {
    const status: Status = { ...fresh, sellsy: { state: 'connected', staff }, sync: { running: true, phase: 'full', done: 200, total: 3002 } };
    const steps = guideSteps({ status, callTarget: 'tel', callTargetChosen: false, alloUser: null, microphone: 'prompt' });
    expect(steps.map((s) => [s.id, s.done])).toEqual([
      ['sellsy', true],
      ['allo', false],
      ['sync', false],
      ['calls-open', false],
      ['microphone', false],
      ['whose-calls', false],
    ]);
    expect(currentStep(steps)).toBe('allo');
  });

  it('a revoked Sellsy undoes steps 1 and 3; a stale user choice does not count without Allo', () => {
    const status: Status = { ...connected, sellsy: { state: 'revoked', staff }, allo: { state: 'disconnected' } };
    const steps = guideSteps({ status, callTarget: 'tel', callTargetChosen: true, alloUser: user, microphone: 'granted' });
    expect(steps.map((s) => s.done)).toEqual([false, false, false, true, true, false]);
  });

  it('the microphone counts once calls open somewhere, for the dialer only once Chrome says it is allowed', () => {
    const micDone = (callTarget: 'tel' | 'allo-dialer', microphone: 'granted' | 'prompt' | 'denied' | 'unknown' | undefined) =>
      guideSteps({ status: connected, callTarget, callTargetChosen: true, alloUser: user, microphone }).find((s) => s.id === 'microphone')?.done;
    expect(micDone('tel', 'prompt')).toBe(true);
    expect(guideSteps({ status: connected, callTarget: 'tel', callTargetChosen: false, alloUser: user, microphone: 'granted' })[4]).toEqual({
      id: 'microphone',
      done: false,
    });
    expect(micDone('allo-dialer', 'prompt')).toBe(false);
    expect(micDone('allo-dialer', 'denied')).toBe(false);
    expect(micDone('allo-dialer', undefined)).toBe(false);
    expect(micDone('allo-dialer', 'granted')).toBe(true);
    // A browser that cannot say: the dialer asks for itself, the guide does not hold the user back.
    expect(micDone('allo-dialer', 'unknown')).toBe(true);
    expect(currentStep(guideSteps({ status: connected, callTarget: 'allo-dialer', callTargetChosen: true, alloUser: user, microphone: 'prompt' }))).toBe(
      'microphone',
    );
  });

  it('everything done: no current step', () => {
    const steps = guideSteps({ status: connected, callTarget: 'allo-dialer', callTargetChosen: true, alloUser: user, microphone: 'granted' });
    expect(steps.every((s) => s.done)).toBe(true);
    expect(currentStep(steps)).toBeUndefined();
  });
});
