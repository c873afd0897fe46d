/**
 * Every storage item, in every shape this repository ever wrote it. The older version wrote it
 * raw, without WXT's version mark; today's module is loaded afterwards and read through today's
 * API: the value is kept, or converted, never dropped.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

beforeEach(() => {
  fakeBrowser.reset();
  vi.resetModules();
});

describe('a call target the user chose before the dialer existed', () => {
  for (const target of ['tel', 'callto', 'allo-web'] as const) {
    it(`${target}, chosen in c6c8a0b's options (no callTargetChosen then), is not replaced by the dialer`, async () => {
      await fakeBrowser.storage.sync.set({ callTarget: target });
      const settings = await import('@/lib/settings');
      await settings.dialerSeenReady();
      expect(await settings.callTargetSetting.getValue()).toBe(target);
      expect(await settings.callTargetChosenSetting.getValue()).toBe(true);
    });
  }

  it('none stored (never chosen): the dialer becomes the target once seen ready', async () => {
    const settings = await import('@/lib/settings');
    await settings.dialerSeenReady();
    expect(await settings.callTargetSetting.getValue()).toBe('allo-dialer');
    expect(await settings.callTargetChosenSetting.getValue()).toBe(false);
  });

  it('the dialer made the target by 97b609c and later (not chosen): the user may still be asked', async () => {
    await fakeBrowser.storage.sync.set({ callTarget: 'allo-dialer' });
    const settings = await import('@/lib/settings');
    await settings.dialerSeenReady();
    expect(await settings.callTargetSetting.getValue()).toBe('allo-dialer');
    expect(await settings.callTargetChosenSetting.getValue()).toBe(false);
  });
});
