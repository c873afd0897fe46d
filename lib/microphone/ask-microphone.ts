/**
 * Asks Chrome for the microphone once, from the grant page. The tracks are stopped at once: the
 * page only wants the permission, and a live track would keep the recording light on.
 *
 * - `granted`: allowed (the grant is the extension origin's, so the side panel has it too);
 * - `denied`: the user or a policy said no, or the prompt was dismissed;
 * - `no-device`: there is no microphone to give;
 * - `unavailable`: anything else (the device is busy, no media API in this context).
 *
 * Never called in a loop: repeated refusals make Chrome block the origin for a while, so each
 * ask follows a person's action or the page's opening.
 */
export type AskResult = 'granted' | 'denied' | 'no-device' | 'unavailable';

type MediaLike = Pick<MediaDevices, 'getUserMedia'>;

export async function askForMicrophone(media: MediaLike | undefined = globalThis.navigator?.mediaDevices): Promise<AskResult> {
  if (!media) return 'unavailable';
  try {
    const stream = await media.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
    return 'granted';
  } catch (error) {
    const name = error instanceof Error || error instanceof DOMException ? error.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-device';
    return 'unavailable';
  }
}
