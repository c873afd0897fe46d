import { t } from '@/components/i18n';
import { useSetting } from '@/components/use-setting';
import { callLoggerSetting } from '@/lib/calls/call-logger';
import { CALL_LOGGERS, type CallLogger } from '@/lib/calls/call-logger-choice';
import { ManagedNote } from './ManagedNote';
import { useManaged } from './use-managed';

const LABELS = { extension: 'callLoggerExtension', 'allo-integration': 'callLoggerIntegration' } as const;

/** Who writes the user's calls into Sellsy (options page): this extension, or Allo's own integration. */
export function CallLoggerChoice({ onSaved }: { onSaved(): void }) {
  const [logger, setLogger] = useSetting(callLoggerSetting, onSaved);
  const locked = useManaged().callLogger;
  const value = locked ?? logger ?? 'extension';
  return (
    <fieldset class="setting">
      <legend>{t('callLoggerLabel')}</legend>
      {CALL_LOGGERS.map((option) => (
        <div>
          <input
            type="radio"
            id={`call-logger-${option}`}
            name="call-logger"
            value={option}
            checked={value === option}
            disabled={locked !== undefined}
            onChange={() => setLogger(option as CallLogger)}
          />
          <label for={`call-logger-${option}`}>{t(LABELS[option])}</label>
        </div>
      ))}
      {locked && <ManagedNote />}
      <p class="hint">{t(value === 'extension' ? 'callLoggerExtensionHelp' : 'callLoggerIntegrationHelp')}</p>
    </fieldset>
  );
}
