import type { MicrophoneState } from '@/lib/microphone/microphone-state';
import { openDialerWindow, openMicrophonePage, openSiteSettings } from '@/lib/microphone/microphone-pages';
import { t } from './i18n';

/**
 * What to do about the microphone, where Chrome cannot ask for it (the side panel) or before a
 * first call (the guide): allow it once in a small window, or unblock it in Chrome's settings.
 * Nothing when it is allowed, or when the browser cannot say. `windowed`: the side panel offers
 * the same dialer in a window of its own, where Chrome can ask.
 */
export function MicrophoneStep({ state, windowed = false }: { state: MicrophoneState | undefined; windowed?: boolean }) {
  if (state !== 'prompt' && state !== 'denied') return null;
  const denied = state === 'denied';
  return (
    <section class="card microphone" aria-labelledby="microphone-heading">
      <h2 id="microphone-heading">{t(denied ? 'micDeniedTitle' : 'micStepTitle')}</h2>
      <p>{t(denied ? 'micDeniedWhy' : 'micStepWhy')}</p>
      {/* In the side panel the dialer's frame is held back meanwhile (DialerFrame). */}
      {windowed && !denied && <p class="hint">{t('micStepDialerWaits')}</p>}
      <div class="actions">
        <button type="button" class="primary" onClick={() => void (denied ? openSiteSettings() : openMicrophonePage())}>
          {t(denied ? 'micOpenSettings' : 'micAllow')}
        </button>
      </div>
      {windowed && (
        <>
          <p class="hint">{t('micWindowHint')}</p>
          <button type="button" onClick={() => void openDialerWindow()}>
            {t('micDialerWindow')}
          </button>
        </>
      )}
    </section>
  );
}
