import { useEffect, useRef, useState } from 'preact/hooks';
import { type AskResult, askForMicrophone } from '@/lib/microphone/ask-microphone';
import { openSiteSettings } from '@/lib/microphone/microphone-pages';
import { t, type MessageKey } from './i18n';
import { useMicrophoneState } from './use-microphone';

/** Long enough to read that it worked. */
const CLOSE_AFTER_MS = 1_500;

const AFTER_ASK: Record<Exclude<AskResult, 'granted'>, MessageKey> = {
  denied: 'micPageDismissed',
  'no-device': 'micPageNoDevice',
  unavailable: 'micPageUnavailable',
};

/**
 * The grant page, opened in a small window from the side panel or the guide. It asks Chrome once
 * when it opens, and again only when the person presses the button: repeated asks that Chrome
 * refuses get the origin blocked for a while. Once allowed, it closes itself; the side panel,
 * which watches the permission, updates at the same moment.
 */
export function MicrophoneGrant({ close = () => window.close() }: { close?: () => void }) {
  const state = useMicrophoneState();
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<AskResult>();
  const askedOnOpen = useRef(false);

  const ask = async () => {
    setAsking(true);
    setResult(await askForMicrophone());
    setAsking(false);
  };

  useEffect(() => {
    if (state === 'prompt' && !askedOnOpen.current) {
      askedOnOpen.current = true;
      void ask();
    }
  }, [state]);

  // Allowed here, or elsewhere meanwhile (Chrome's settings): the window's work is done.
  const granted = state === 'granted' || result === 'granted';
  useEffect(() => {
    if (!granted) return;
    const timer = setTimeout(close, CLOSE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [granted]);

  return (
    <main>
      <h1>{t('micPageTitle')}</h1>
      <p>{t('micPageWhat')}</p>
      <p role="status" class={granted ? 'ok' : ''}>
        {granted ? t('micPageGranted') : asking ? t('micPageAsking') : ''}
      </p>
      {!granted && state === 'denied' && (
        <section class="card" role="alert">
          <p class="warning">{t('micPageDenied')}</p>
          <button type="button" class="primary" onClick={() => void openSiteSettings()}>
            {t('micOpenSettings')}
          </button>
        </section>
      )}
      {!granted && !asking && state !== 'denied' && result && (
        <section class="card" role="alert">
          <p class="warning">{t(AFTER_ASK[result])}</p>
          <button type="button" class="primary" onClick={() => void ask()}>
            {t('micPageAsk')}
          </button>
        </section>
      )}
    </main>
  );
}
