import { useEffect, useState } from 'preact/hooks';
import { callPollState, readPollState } from '@/lib/calls/poll-state';
import { backfillChoices, backfillDaysSetting, clampBackfillDays } from '@/lib/settings';
import { messagesLocale, plural, t } from './i18n';
import { ManagedNote } from './ManagedNote';
import { useManaged } from './use-managed';
import { useSetting } from './use-setting';

/**
 * "Also add past calls": none, 7 or 30 days, offered until Allo's calls are first read (setup
 * guide, options). The window is applied once, at that first read; after it the choice would do
 * nothing, so it is shown as done, with the date logging started from.
 */
export function BackfillChoice({ onSaved }: { onSaved(): void }) {
  const [days, setDays] = useSetting(backfillDaysSetting, onSaved);
  const locked = useManaged().backfillDays;
  // Undefined until read; null: Allo's calls were never read, the choice still counts.
  const [since, setSince] = useState<number | null>();
  useEffect(() => {
    const read = () => void readPollState().then((state) => setSince(state?.since ?? null));
    read();
    return callPollState.watch(read);
  }, []);
  if (since === undefined) return null;
  if (since !== null) {
    const date = new Intl.DateTimeFormat(messagesLocale(), { day: 'numeric', month: 'long' }).format(since);
    return (
      <div class="setting" id="backfill-done">
        <p class="label">{t('backfillLabel')}</p>
        <p class="ok">{t('backfillDone', date)}</p>
      </div>
    );
  }
  const value = locked ?? clampBackfillDays(days ?? 0);
  return (
    <div class="setting">
      <label for="backfill">{t('backfillLabel')}</label>
      <select id="backfill" value={String(value)} disabled={locked !== undefined} onChange={(e) => setDays(clampBackfillDays(Number(e.currentTarget.value)))}>
        {backfillChoices(value).map((choice) => (
          <option value={String(choice)}>{choice === 0 ? t('backfillNone') : plural('backfillDays', choice)}</option>
        ))}
      </select>
      {locked !== undefined && <ManagedNote />}
      <p class="hint">{t('backfillHelp')}</p>
    </div>
  );
}
