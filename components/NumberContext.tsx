import type { CountryCode } from 'libphonenumber-js/min';
import { useEffect, useState } from 'preact/hooks';
import { plural, t, type MessageKey } from '@/components/i18n';
import type { PanelRecord } from '@/lib/dialer/number-records';
import type { PanelView } from '@/lib/dialer/panel-session';
import { sendMessage } from '@/lib/messaging';
import { CallHistory } from './CallHistory';
import { FollowUp } from './FollowUp';
import { NewContact } from './NewContact';
import { PanelRecordLabel } from './PanelRecordLabel';
import { formatNumber } from '@/lib/phone/format-number';

type Current = NonNullable<PanelView['current']>;

const WHY_KEYS: Record<Current['why'], MessageKey> = {
  dial: 'panelWhyDial',
  'fell-back': 'panelWhyFellBack',
  incoming: 'panelWhyIncoming',
  outgoing: 'panelWhyOutgoing',
};

type Lookup = { records: PanelRecord[]; more: number; complete: boolean } | 'failed' | undefined;

/** Who the number belongs to in Sellsy, from the cache, with links to each record. */
export function NumberContext({
  current,
  country,
  openRecord,
  dialed = false,
  noteFirstLine,
}: {
  current: Current;
  country: CountryCode;
  openRecord(url: string): void;
  /** The dialer was handed this number: say that Call must still be pressed in Allo. */
  dialed?: boolean;
  /** The first line of the call's note, for the follow-up task's title (the note box gives it). */
  noteFirstLine?: string;
}) {
  const [lookup, setLookup] = useState<Lookup>();
  // Bumped when a contact was made here: the records are read again (the cache has it at once).
  const [made, setMade] = useState(0);
  const { e164 } = current;
  useEffect(() => {
    if (made === 0) setLookup(undefined);
    if (!e164) return;
    let live = true;
    sendMessage('numberRecords', { e164 }).then(
      (found) => live && setLookup(found),
      () => live && setLookup('failed'),
    );
    return () => {
      live = false;
    };
  }, [e164, made]);
  // Another number: the count starts again (the form is a new one too, keyed by the number).
  useEffect(() => setMade(0), [e164]);

  return (
    <section class="card" aria-labelledby="number-heading">
      <h2 id="number-heading">{t(WHY_KEYS[current.why])}</h2>
      <p class="number">{e164 ? formatNumber(e164, country) : t('panelHidden')}</p>
      {dialed && current.why === 'dial' ? (
        <p class="ok" role="status">
          {t('panelDialed')}
        </p>
      ) : null}
      {lookup === 'failed' ? <p class="error">{t('panelLookupFailed')}</p> : null}
      {lookup && lookup !== 'failed' && lookup.records.length === 0 ? <p>{lookup.complete ? t('panelNotInSellsy') : t('panelNotSyncedYet')}</p> : null}
      {/* Before the first sync has finished the number may be in Sellsy: the creation looks there first. */}
      {e164 && lookup && lookup !== 'failed' && (lookup.records.length === 0 || made > 0) ? (
        <NewContact key={e164} e164={e164} shownNumber={formatNumber(e164, country)} onCreated={() => setMade((n) => n + 1)} />
      ) : null}
      {lookup && lookup !== 'failed' && lookup.records.length > 0 ? (
        <>
          <ul class="records">
            {lookup.records.map((record) => (
              <li key={record.key}>
                <PanelRecordLabel record={record} openRecord={openRecord} />
              </li>
            ))}
          </ul>
          {lookup.more > 0 ? <p class="hint">{plural('panelMoreRecords', lookup.more)}</p> : null}
          <p class="hint">{t('panelOpenHint')}</p>
          {e164 ? <FollowUp key={e164} e164={e164} records={lookup.records} {...(noteFirstLine !== undefined ? { noteFirstLine } : {})} /> : null}
        </>
      ) : null}
      {/* Once the records are shown: the team's calls are asked for those only. */}
      {e164 && lookup && lookup !== 'failed' ? <CallHistory e164={e164} openRecord={openRecord} /> : null}
    </section>
  );
}
