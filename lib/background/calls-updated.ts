import { storage } from '#imports';

/** Bumped after each call-logging pass: the popup watches it to refresh its list. */
export const callsUpdatedAt = storage.defineItem<number>('local:callsUpdatedAt', { fallback: 0 });
