import { t } from '@/components/i18n';
import { CopyButton } from './CopyButton';
import type { PanelView } from '@/lib/dialer/panel-session';

/** Where the dialer stands, and, when a click went to `tel:`, why and what to do. */
export function DialerNotice({ view, extensionId }: { view: PanelView; extensionId: string }) {
  const fellBack = view.status === 'unavailable' || view.current?.why === 'fell-back';
  if (!fellBack) {
    if (view.status === 'loading') return <p role="status">{t('panelLoading')}</p>;
    return view.signedIn ? null : <p class="hint">{t('panelSignIn')}</p>;
  }
  if (view.reason === 'offline')
    return (
      <p class="warning" role="alert">
        {t('panelOffline')}
      </p>
    );
  if (view.reason === 'no-panel')
    return (
      <p class="warning" role="alert">
        {t('panelNoPanel')}
      </p>
    );
  return (
    <section class="card" role="alert">
      <p class="warning">{t('panelNotReady')}</p>
      <p>{t('panelNotReadyWhat')}</p>
      <ExtensionId id={extensionId} />
    </section>
  );
}

function ExtensionId({ id }: { id: string }) {
  return (
    <div>
      <p class="hint">{t('panelExtensionId')}</p>
      <div class="id-row">
        <code>{id}</code>
        <CopyButton text={id} />
      </div>
    </div>
  );
}
