import type { ActionError, SellsyStatus } from '@/lib/connection/status';
import { sellsyErrorText } from './error-text';
import { t } from './i18n';

interface Props {
  status: SellsyStatus;
  busy: boolean;
  error: ActionError | undefined;
  onConnect(): void;
  /** Without it, no Disconnect button: the popup leaves that to the settings once all is well. */
  onDisconnect?: () => void;
}

export function SellsyConnection({ status, busy, error, onConnect, onDisconnect }: Props) {
  return (
    <section class="card" aria-labelledby="sellsy-heading">
      <h2 id="sellsy-heading">{t('sellsyHeading')}</h2>
      <div class="state" role="status" aria-live="polite">
        {busy ? <p>{t('sellsyConnecting')}</p> : <SellsyState status={status} />}
      </div>
      {error && !busy && (
        <p class="error" role="alert">
          {sellsyErrorText(error)}
        </p>
      )}
      <div class="actions">
        {status.state === 'disconnected' && (
          <button type="button" class="primary" disabled={busy} onClick={onConnect}>
            {t('connectSellsy')}
          </button>
        )}
        {/* Revoked: one way forward. Reconnecting replaces the dead tokens; the calls found meanwhile are kept. */}
        {status.state === 'revoked' && (
          <button type="button" class="primary" disabled={busy} onClick={onConnect}>
            {t('reconnectSellsy')}
          </button>
        )}
        {status.state === 'connected' && onDisconnect && (
          <button type="button" disabled={busy} onClick={onDisconnect}>
            {t('disconnectSellsy')}
          </button>
        )}
      </div>
    </section>
  );
}

function SellsyState({ status }: { status: SellsyStatus }) {
  switch (status.state) {
    case 'unavailable':
      return <p class="warning">{t('sellsyUnavailable')}</p>;
    case 'disconnected':
      return <p>{t('sellsyDisconnected')}</p>;
    case 'revoked':
      return (
        <>
          <p class="error">{t('sellsyRevoked')}</p>
          <p class="hint">{t('sellsyRevokedWhy')}</p>
        </>
      );
    case 'connected':
      return (
        <>
          <p class="ok">{t('sellsyConnectedAs', status.staff.name)}</p>
          {status.problem && <p class="hint">{sellsyErrorText({ code: status.problem, message: status.problem })}</p>}
        </>
      );
  }
}
