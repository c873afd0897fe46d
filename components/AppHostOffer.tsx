import { useEffect, useState } from 'preact/hooks';
import { askForAppHost } from '@/lib/app-hosts/ask-for-host';
import { looksLikeUnknownSellsyApp } from '@/lib/app-hosts/host-rules';
import { sendMessage } from '@/lib/messaging';
import { type MessageKey, t } from './i18n';

/**
 * Popup: the tab it was opened on looks like Sellsy's app (activeTab lets the popup read its
 * address) but the extension does not run there: offer to add it. Once added, the tab reloads
 * so its numbers are linked at once.
 */
export function AppHostOffer() {
  const [offer, setOffer] = useState<{ host: string; tabId: number }>();
  const [problem, setProblem] = useState<MessageKey>();
  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id === undefined || !tab.url) return;
      const view = await sendMessage('listAppHosts');
      const running = [...view.builtIn, ...view.hosts.filter((host) => host.granted).map((host) => host.host)];
      const host = looksLikeUnknownSellsyApp(tab.url, running);
      if (host) setOffer({ host, tabId: tab.id });
    })();
  }, []);
  if (!offer) return null;

  const add = () =>
    void askForAppHost(offer.host).then(({ granted, result }) => {
      if (!result.ok || !granted) return setProblem('appHostNotGranted');
      // Reloaded, the tab would show no link: say why instead.
      if (result.view.hosts.some((host) => host.host === offer.host && host.notStarted)) return setProblem('appHostNotStarted');
      void browser.tabs.reload(offer.tabId);
      setOffer(undefined);
    });
  return (
    <section class="card" aria-labelledby="app-host-offer-heading">
      <h2 id="app-host-offer-heading">{t('appHostOfferHeading')}</h2>
      <p>{t('appHostOffer', offer.host)}</p>
      {problem && <p class="error">{t(problem)}</p>}
      <div class="actions">
        <button type="button" class="primary" onClick={add}>
          {t('appHostOfferAdd', offer.host)}
        </button>
      </div>
    </section>
  );
}
