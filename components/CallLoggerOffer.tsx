import { t } from '@/components/i18n';
import { useSetting } from '@/components/use-setting';
import { answerIntegrationOffer, integrationSeen } from '@/lib/calls/call-logger';
import { useManaged } from './use-managed';

/**
 * Allo's own Sellsy integration was seen logging the user's calls (its Phone Call named the call)
 * while this extension logs them too: offered once, in the popup, to let the integration do it alone.
 */
export function CallLoggerOffer() {
  const [seen] = useSetting(integrationSeen, () => undefined);
  const managed = useManaged().callLogger !== undefined;
  if (managed || !seen || seen.answered) return null;
  return (
    <section class="card" aria-labelledby="call-logger-offer">
      <h2 id="call-logger-offer">{t('callLoggerOfferHeading')}</h2>
      <p>{t('callLoggerOfferText')}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void answerIntegrationOffer(true)}>
          {t('callLoggerOfferSwitch')}
        </button>
        <button type="button" onClick={() => void answerIntegrationOffer(false)}>
          {t('callLoggerOfferKeep')}
        </button>
      </div>
    </section>
  );
}
