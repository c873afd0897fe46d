import { t } from '@/components/i18n';
import type { CallTarget } from '@/lib/allo/call-link';
import { launchCall } from '@/lib/allo/launch-call';
import { sendMessage } from '@/lib/messaging';
import { formatNumber } from '@/lib/phone/format-number';

/**
 * The number "Try it" calls. Dialling a real person from a setup page is not acceptable, and the
 * user's own number would ring the phone they are calling from. ARCEP reserves 01 99 00 xx xx
 * for films and fiction: it is a well-formed French number that reaches no one.
 */
export const TRY_NUMBER = '+33199001234';

/**
 * "Try it": opens the sample call exactly as a click on a number in Sellsy does with this target.
 * The content script does not run on extension pages, so this calls its code path directly.
 */
export function TryCall({ target }: { target: CallTarget }) {
  const shown = formatNumber(TRY_NUMBER, 'FR');
  const call = () =>
    launchCall({ e164: TRY_NUMBER }, target, {
      doc: document,
      openWebApp: () => sendMessage('openAlloWebApp'),
      openDialer: async () => (await sendMessage('openDialer', { e164: TRY_NUMBER })).outcome,
    });
  return (
    <div class="setting">
      <button type="button" class="primary" onClick={call}>
        {t('guideTryIt', shown)}
      </button>
      <p class="hint">{t('guideTryItHint', shown)}</p>
    </div>
  );
}
