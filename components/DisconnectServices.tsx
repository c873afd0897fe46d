import type { Connections } from './use-connections';
import { t } from './i18n';

/**
 * Disconnect Sellsy and Allo, for the options page: the popup folds its cards into one line
 * when all is well (issue 26, item 12), so disconnecting, a rare and destructive act, lives
 * with the settings. The administrator's Allo key cannot be disconnected by the user.
 */
export function DisconnectServices({ connections }: { connections: Pick<Connections, 'status' | 'disconnectSellsy' | 'disconnectAllo'> }) {
  const { status } = connections;
  const sellsy = status?.sellsy.state === 'connected' || status?.sellsy.state === 'revoked';
  const allo = status?.allo.state === 'connected' && !status.allo.managed;
  if (!sellsy && !allo) return null;
  return (
    <section class="card" aria-labelledby="connections-heading">
      <h2 id="connections-heading">{t('popupConnections')}</h2>
      <p class="hint">{t('optionsConnectionsHelp')}</p>
      <div class="actions">
        {sellsy && (
          <button type="button" onClick={() => void connections.disconnectSellsy()}>
            {t('disconnectSellsy')}
          </button>
        )}
        {allo && (
          <button type="button" onClick={() => void connections.disconnectAllo()}>
            {t('disconnectAllo')}
          </button>
        )}
      </div>
    </section>
  );
}
