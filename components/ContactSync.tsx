import type { SyncStatus } from '@/lib/sync/status';
import { sellsyErrorText } from './error-text';
import { t } from './i18n';

interface Props {
  status: SyncStatus;
  onSyncNow(): void;
}

const numberFormat = () => new Intl.NumberFormat(navigator.language);
const timeFormat = () => new Intl.DateTimeFormat(navigator.language, { dateStyle: 'short', timeStyle: 'short' });

export function ContactSync({ status, onSyncNow }: Props) {
  const count = (value: number) => numberFormat().format(value);
  return (
    <section class="card" aria-labelledby="sync-heading">
      <h2 id="sync-heading">{t('syncHeading')}</h2>
      <div role="status" aria-live="polite">
        {status.running && status.phase === 'full' && status.done !== undefined && status.total !== undefined ? (
          <>
            <p>{t('syncProgress', count(status.done), count(status.total))}</p>
            <progress max={status.total} value={status.done} aria-label={t('syncHeading')} />
          </>
        ) : status.running ? (
          <p>{t('syncRunning')}</p>
        ) : null}
        {status.cached !== undefined && <p>{t('syncCached', count(status.cached))}</p>}
        {status.skipped !== undefined && <p class="hint">{t('syncSkipped', count(status.skipped))}</p>}
        {status.lastSuccessAt !== undefined ? (
          <p class="hint">{t('syncLastSuccess', timeFormat().format(new Date(status.lastSuccessAt)))}</p>
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
