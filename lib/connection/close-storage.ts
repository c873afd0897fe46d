import type { Browser } from '#imports';

/**
 * `storage.local` holds the tokens and the Allo key, and content scripts may read it unless it
 * is closed to them (`setAccessLevel` on `storage.local`, Chrome 140+, the manifest's minimum).
 * The answer says whether it is closed: when it is not, no secret may be stored there.
 */
export async function closeStorageToContentScripts(area: Browser.storage.StorageArea): Promise<boolean> {
  try {
    await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    return true;
  } catch (error) {
    console.error('Allo for Sellsy: storage.local could not be closed to content scripts', error);
    return false;
  }
}
