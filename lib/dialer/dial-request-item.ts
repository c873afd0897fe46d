import { storage } from '#imports';
import type { DialRequest } from './dial-requests';

/**
 * The latest click handed to the dialer, as the background saw it end. In storage.session:
 * the side panel (an extension page) watches it; content scripts cannot read it.
 */
export const dialRequestItem = storage.defineItem<DialRequest | null>('session:dialerRequest', { fallback: null, version: 1 });
