import type { Browser } from '#imports';

/**
 * `storage.local` holds the tokens and the Allo key, and content scripts may read it unless it
 * is closed to them (Chromium 102+). If that ever fails, say so loudly: it is the one line
 * between a Sellsy page and the credentials.
 */
export async function closeStorageToContentScripts(area: Browser.storage.StorageArea): Promise<void> {
  try {
    await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
  } catch (error) {
    console.error('Allo for Sellsy: storage.local could not be closed to content scripts', error);
  }
}
