import { AdminInstructions } from './AdminInstructions';
import { t } from './i18n';

/**
 * The popup's Sellsy card while no Sellsy API access exists (a production build before the
 * company's administrator created one): a salesperson cannot fix that, so it says who can, opens
 * the setup, and copies what the administrator needs (issue 26, item 1).
 */
export function SellsyAccessNeeded({ onOpenSetup }: { onOpenSetup(): void }) {
  return (
    <section class="card" aria-labelledby="sellsy-heading">
      <h2 id="sellsy-heading">{t('sellsyHeading')}</h2>
      <p class="warning">{t('sellsyUnavailable')}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={onOpenSetup}>
          {t('popupSetupOpen')}
        </button>
      </div>
      <p class="hint admin-hint">{t('popupSetupAdminHint')}</p>
      <AdminInstructions />
    </section>
  );
}
