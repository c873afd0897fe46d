import { describe, expect, it, vi } from 'vitest';
import type { Browser } from '#imports';
import { closeStorageToContentScripts } from '@/lib/connection/close-storage';

const area = (setAccessLevel: unknown) => ({ setAccessLevel }) as unknown as Browser.storage.StorageArea;

describe('closeStorageToContentScripts', () => {
  it('says the storage is closed once Chrome accepted it', async () => {
    const setAccessLevel = vi.fn(async () => undefined);
    expect(await closeStorageToContentScripts(area(setAccessLevel), 'local')).toBe(true);
    expect(setAccessLevel).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
  });

  it.each([
    ['refuses it (storage.local before Chrome 140)', vi.fn(async () => Promise.reject(new Error('not supported')))],
    ['has no setAccessLevel at all', undefined],
  ])('says it is open when Chrome %s', async (_, setAccessLevel) => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await closeStorageToContentScripts(area(setAccessLevel), 'local')).toBe(false);
  });
});
