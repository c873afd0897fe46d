import type { Ref } from 'preact';
import type { MicrophoneState } from '@/lib/microphone/microphone-state';
import { t } from './i18n';

/**
 * Allo's dialer in its frame, which uses the extension origin's microphone grant. Chrome cannot
 * prompt in a side panel: a Call pressed there while the microphone is still to be asked is
 * refused silently, and the permission turns to blocked. So until the microphone step above it
 * is done, the frame cannot be used (inert, dimmed), though it stays loaded so its `ready` and
 * sign-in are not lost. In a window of its own (`inWindow`) Chrome can ask: nothing is held back.
 * Blocked, Call fails without harm (the step says how to unblock it).
 */
export function DialerFrame({
  src,
  microphone,
  inWindow,
  frameRef,
}: {
  src: string;
  microphone: MicrophoneState | undefined;
  inWindow: boolean;
  frameRef?: Ref<HTMLIFrameElement>;
}) {
  const waiting = microphone === 'prompt' && !inWindow;
  return (
    <iframe
      ref={frameRef}
      class={waiting ? 'dialer waiting' : 'dialer'}
      inert={waiting}
      title={t('panelFrameTitle')}
      src={src}
      allow="microphone; autoplay; clipboard-write"
    />
  );
}
