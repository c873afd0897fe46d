import type { SyncStatus } from '@/lib/sync/status';
import { sellsyErrorText } from './error-text';
import { messagesLocale, plural, t } from './i18n';
import { formatWhen } from './when';

interface Props {
  status: SyncStatus;
  onSyncNow(): void;
}

export function ContactSync({ status, onSyncNow }: Props) {
  const locale = messagesLocale();
  return (
    <section class="card" aria-labelledby="sync-heading">
      <h2 id="sync-heading">{t('syncHeading')}</h2>
      <div role="status" aria-live="polite">
        {status.running && status.phase === 'full' && status.done !== undefined && status.total !== undefined ? (
          <>
            <p>{plural('syncProgress', status.total, new Intl.NumberFormat(locale).format(status.done))}</p>
            <progress max={status.total} value={status.done} aria-label={t('syncHeading')} />
          </>
        ) : status.running ? (
          <p>{t('syncRunning')}</p>
        ) : null}
        {status.cached !== undefined && <p>{plural('syncCached', status.cached)}</p>}
        {status.skipped !== undefined && <p class="hint">{plural('syncSkipped', status.skipped)}</p>}
        {status.lastSuccessAt !== undefined ? (
          <p class="hint">{t('syncLastSuccess', formatWhen(status.lastSuccessAt, Date.now(), locale))}</p>
        ) : (
          !status.running && !status.lastError && <p class="hint">{t('syncNever')}</p>
        )}
      </div>
      {status.lastError && !status.running && (
        <p class="error" role="alert">
          {t('syncFailed', sellsyErrorText({ code: status.lastError.code, message: status.lastError.message }))}
        </p>
      )}
      <div class="actions">
        <button type="button" disabled={status.running} onClick={onSyncNow}>
          {t('syncNow')}
        </button>
      </div>
    </section>
  );
}
