import { useEffect, useState } from 'preact/hooks';
import { adminInstructions } from '@/lib/guide/admin-instructions';
import { sendMessage } from '@/lib/messaging';
import { SELLSY_SCOPES } from '@/lib/sellsy/scopes';
import { CopyButton } from './CopyButton';
import { t } from './i18n';

/**
 * The popup's Sellsy card while no Sellsy API access exists (a production build before the
 * company's administrator created one): a salesperson cannot fix that, so it says who can, opens
 * the setup, and copies what the administrator needs (issue 26, item 1).
 */
export function SellsyAccessNeeded({ onOpenSetup }: { onOpenSetup(): void }) {
  const [instructions, setInstructions] = useState<string>();
  useEffect(() => {
    // The redirect URL as the background registers it with Sellsy (identity.getRedirectURL()).
    void sendMessage('getSellsyClient').then(
      (client) => setInstructions(adminInstructions({ redirectUrl: client.redirectUrl, scopes: SELLSY_SCOPES, extensionId: browser.runtime.id, say: t })),
      () => undefined,
    );
  }, []);
  return (
    <section class="card" aria-labelledby="sellsy-heading">
      <h2 id="sellsy-heading">{t('sellsyHeading')}</h2>
      <p class="warning">{t('sellsyUnavailable')}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={onOpenSetup}>
          {t('popupSetupOpen')}
        </button>
      </div>
      {instructions && (
        <>
          <p class="hint admin-hint">{t('popupSetupAdminHint')}</p>
          <div class="admin-copy">
            <CopyButton text={instructions} label={t('popupCopyAdminInstructions')} />
          </div>
        </>
      )}
    </section>
  );
}
