import { useState } from 'preact/hooks';
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
 * How a try ended. `opened`: Allo's dialer took the number. `fell-back`: it could not, and the
 * system's call app got it. `handed-over`: the number went to the desktop or web app, which say
 * nothing back, so the person sees for themselves.
 */
export type TryOutcome = 'opened' | 'fell-back' | 'handed-over';

interface Props {
  /** How calls open, the administrator's value first: a click in Sellsy opens the same. */
  target: CallTarget;
  /** The administrator set it: a try that did not work is theirs to hear of, not a choice to change here. */
  locked?: boolean;
  /** A try that worked, as far as the extension can tell: the guide's step is done. */
  onTried(outcome: TryOutcome): void;
}

/**
 * "Try it": opens the sample call exactly as a click on a number in Sellsy does with this target.
 * The content script does not run on extension pages, so this calls its code path directly.
 */
export function TryCall({ target, locked = false, onTried }: Props) {
  const [outcome, setOutcome] = useState<TryOutcome>();
  const shown = formatNumber(TRY_NUMBER, 'FR');
  const end = (result: TryOutcome) => {
    setOutcome(result);
    onTried(result);
  };
  const call = () => {
    setOutcome(undefined);
    launchCall({ e164: TRY_NUMBER }, target, {
      doc: document,
      openWebApp: () => sendMessage('openAlloWebApp'),
      openDialer: async () => {
        const result = (await sendMessage('openDialer', { e164: TRY_NUMBER })).outcome;
        end(result === 'opened' ? 'opened' : 'fell-back');
        return result;
      },
    });
    if (target !== 'allo-dialer') end('handed-over');
  };
  return (
    <div class="setting">
      <button type="button" class="primary" onClick={call}>
        {t('guideTryIt', shown)}
      </button>
      <p class="hint">{t('guideTryItHint', shown)}</p>
      <p role="status" class={outcome === 'fell-back' ? 'warning' : 'hint'}>
        {outcome === 'fell-back'
          ? t(locked ? 'guideTryItFellBackManaged' : 'guideTryItFellBack')
          : outcome === 'handed-over'
            ? t(locked ? 'guideTryItCheckManaged' : 'guideTryItCheck')
            : ''}
      </p>
    </div>
  );
}
