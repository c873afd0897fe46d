import type { ComponentChildren } from 'preact';
import type { AllWell } from '@/lib/connection/all-well';
import { messagesLocale, plural, t } from './i18n';
import { formatWhen } from './when';

/**
 * Both connections and the contacts on one line, when all is well (issue 26, item 12): Chrome
 * caps a popup at 600 px, and the calls below are what a salesperson opens it for. The cards
 * come back as soon as something needs attention (lib/connection/all-well.ts).
 */
export function ConnectionsSummary({ summary, children }: { summary: AllWell; children?: ComponentChildren }) {
  const contacts = summary.syncing
    ? plural('popupContactsSyncing', summary.contacts)
    : plural('popupContacts', summary.contacts, formatWhen(summary.syncedAt ?? Date.now(), Date.now(), messagesLocale()));
  return (
    <section class="card summary-line" aria-labelledby="connections-heading">
      <h2 id="connections-heading" class="visually-hidden">
        {t('popupConnections')}
      </h2>
      <div role="status">
        <ul class="connections">
          <li>
            Sellsy <Tick /> {summary.sellsyName}
          </li>
          <li>
            Allo <Tick /> {summary.alloTeam ?? t('popupConnected')}
          </li>
          <li>{contacts}</li>
        </ul>
      </div>
      {children}
    </section>
  );
}

function Tick() {
  return (
    <span class="ok" role="img" aria-label={t('popupConnected')}>
      ✓
    </span>
  );
}
