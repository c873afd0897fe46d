/**
 * From the second hostile review of issue 23: a double click on "Allow the microphone" or "Use
 * the dialer in a window", or the same button in two panels, opened two windows. One of each at
 * most: the one already open is brought to the front.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openDialerWindow, openMicrophonePage } from '@/lib/microphone/microphone-pages';

beforeEach(() => {
  fakeBrowser.reset();
});

async function popups(): Promise<number[]> {
  return (await fakeBrowser.windows.getAll()).filter((window) => window.type === 'popup').map((window) => window.id!);
}

describe.each([
  ['the microphone’s grant page', openMicrophonePage],
  ['the dialer window', openDialerWindow],
])('%s', (_, open) => {
  it('opens once on a double click', async () => {
    await Promise.all([open(), open()]);
    expect(await popups()).toHaveLength(1);
  });

  it('opens once from two clicks far apart (or two panels): the open one is focused', async () => {
    await open();
    const [first] = await popups();
    const update = vi.spyOn(fakeBrowser.windows, 'update');
    await open();
    expect(await popups()).toEqual([first]);
    expect(update).toHaveBeenCalledWith(first, { focused: true });
  });

  it('opens again once the user closed it', async () => {
    await open();
    const [first] = await popups();
    await fakeBrowser.windows.remove(first!);
    await open();
    const again = await popups();
    expect(again).toHaveLength(1);
    expect(again[0]).not.toBe(first);
  });
});

it('the grant page and the dialer window are one each, not one in all', async () => {
  await openMicrophonePage();
  await openDialerWindow();
  expect(await popups()).toHaveLength(2);
});
