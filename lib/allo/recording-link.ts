import { AlloError, type AlloClient } from './api-client';

/** What the popup is told after "Listen": the tab opened, or why not (worded in the popup). */
export type ListenResult = { ok: true } | { ok: false; reason: 'no-recording' | 'forbidden' | 'unavailable' };

/**
 * "Listen": asks Allo for a fresh signed link (valid 60 minutes) and opens it in a new tab. One
 * request per click and none otherwise: the link is never stored, so it never goes stale.
 */
export async function listenToRecording(
  allo: Pick<AlloClient, 'recordingLink'>,
  alloId: string,
  openTab: (url: string) => Promise<unknown>,
): Promise<ListenResult> {
  let url: string;
  try {
    ({ url } = await allo.recordingLink(alloId));
  } catch (error) {
    if (error instanceof AlloError && error.code === 'request') return { ok: false, reason: 'no-recording' };
    if (error instanceof AlloError && error.code === 'forbidden') return { ok: false, reason: 'forbidden' };
    return { ok: false, reason: 'unavailable' };
  }
  await openTab(url);
  return { ok: true };
}
