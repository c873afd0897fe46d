import type { Browser } from '#imports';

/**
 * Content scripts may read `storage.local` (the tokens, the Allo key) and `storage.managed`
 * (the administrator's policy: an Allo key, a Sellsy client secret) unless they are closed to
 * them with `setAccessLevel` (Chrome 140+, the manifest's minimum; Chromium 155 accepts it on
 * both areas, tested end to end). The answer says whether the area is closed: when `local` is
 * not, no secret may be stored there.
 */
export async function closeStorageToContentScripts(area: Browser.storage.StorageArea, name: 'local' | 'managed'): Promise<boolean> {
  try {
    await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    return true;
  } catch (error) {
    console.error(`Allo for Sellsy: storage.${name} could not be closed to content scripts`, error);
    return false;
  }
}
