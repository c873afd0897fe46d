import type { CountryCode } from 'libphonenumber-js/min';
import { useEffect, useRef, useState } from 'preact/hooks';
import { DialerNotice } from '@/components/DialerNotice';
import { t } from '@/components/i18n';
import { NumberContext } from '@/components/NumberContext';
import { config } from '@/lib/config';
import { dialRequestItem } from '@/lib/dialer/dial-request-item';
import { PanelSession, type PanelView } from '@/lib/dialer/panel-session';
import { dialerOrigin } from '@/lib/dialer/protocol';
import { sendMessage } from '@/lib/messaging';
import { readClickToCallSettings } from '@/lib/settings';

const ORIGIN = dialerOrigin(config.alloDialerUrl);

/**
 * The side panel: who the number belongs to in Sellsy, above Allo's own dialer. The dialer's
 * frame gets numbers and nothing else; names come from the background, never a key or token.
 */
export function App() {
  const frame = useRef<HTMLIFrameElement>(null);
  const [view, setView] = useState<PanelView>({ status: 'loading', signedIn: false });
  const [country, setCountry] = useState<CountryCode>('FR');
  // Every window has its own panel: this one takes only the clicks made in its window.
  const [windowId, setWindowId] = useState<number>();
  // The tab of the last click: record links open there, in the Sellsy tab.
  const lastTab = useRef<number>();

  useEffect(() => {
    void readClickToCallSettings().then((settings) => setCountry(settings.defaultCountry));
    void browser.windows.getCurrent().then((current) => setWindowId(current.id));
  }, []);

  useEffect(() => {
    if (windowId === undefined) return;
    const session = new PanelSession({
      dialerOrigin: ORIGIN,
      windowId,
      post: (command) => frame.current?.contentWindow?.postMessage(command, ORIGIN),
      claim: async (id) => (await sendMessage('claimDial', { id, windowId })) ?? undefined,
      giveUp: (id, reason) => sendMessage('giveUpDial', { id, reason, windowId }),
      report: (event) => void sendMessage('dialerEvent', { event }).catch(() => undefined),
      online: () => navigator.onLine,
      onChange: (next) => {
        if (next.current?.tabId !== undefined) lastTab.current = next.current.tabId;
        setView(next);
      },
    });
    const onMessage = (event: MessageEvent) => {
      // Only the dialer's frame speaks for the dialer: not another frame, not another origin.
      if (event.source !== frame.current?.contentWindow) return;
      session.receive(event);
    };
    window.addEventListener('message', onMessage);
    session.start();
    void dialRequestItem.getValue().then((request) => session.request(request));
    const unwatch = dialRequestItem.watch((request) => session.request(request));
    return () => {
      unwatch();
      window.removeEventListener('message', onMessage);
      session.stop();
    };
  }, [windowId]);

  const openRecord = (url: string) => {
    const tabId = lastTab.current;
    if (tabId === undefined) void browser.tabs.create({ url });
    else browser.tabs.update(tabId, { url, active: true }).catch(() => browser.tabs.create({ url }));
  };

  return (
    <main class="panel">
      <div class="top">
        <h1>{t('panelTitle')}</h1>
        <DialerNotice view={view} extensionId={browser.runtime.id} />
        {view.current ? <NumberContext current={view.current} country={country} openRecord={openRecord} /> : <p class="hint">{t('panelIdle')}</p>}
      </div>
      {/* Loaded once the panel knows its window, so the dialer's `ready` finds the session listening. */}
      {windowId === undefined ? null : (
        <iframe ref={frame} class="dialer" title={t('panelFrameTitle')} src={config.alloDialerUrl} allow="microphone; autoplay; clipboard-write" />
      )}
    </main>
  );
}
