import { t } from '@/components/i18n';
import type { PanelView } from '@/lib/dialer/panel-session';
import { CopyButton } from './CopyButton';

/** The dialer is out of use (not ready, offline, no panel): the panel says why, and nothing invites a click. */
export function dialerFellBack(view: PanelView): boolean {
  return view.status === 'unavailable' || view.current?.why === 'fell-back';
}

/** Where the dialer stands, and, when a click went to `tel:`, why and what to do. */
export function DialerNotice({ view, extensionId }: { view: PanelView; extensionId: string }) {
  if (!dialerFellBack(view)) {
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
  // Only Allo can activate its dialer for an extension, and a salesperson does not write to
  // Allo's support: they tell their administrator, who finds the id folded away for them.
  return (
    <section class="card" role="alert">
      <p class="warning">{t('panelNotReady')}</p>
      <p>{t('panelNotReadyWhat')}</p>
      <details class="admin-details">
        <summary>{t('panelAdminDetails')}</summary>
        <ExtensionId id={extensionId} />
      </details>
    </section>
  );
}

function ExtensionId({ id }: { id: string }) {
  return (
    <div>
      <p class="hint" id="extension-id-help">
        {t('panelExtensionId')}
      </p>
      <div class="id-row">
        <code>{id}</code>
        <CopyButton text={id} describedBy="extension-id-help" />
      </div>
    </div>
  );
}
