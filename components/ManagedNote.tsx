import { t } from './i18n';

/** Beside a setting the administrator's policy locks. */
export function ManagedNote() {
  return <p class="managed">{t('managedBadge')}</p>;
}
