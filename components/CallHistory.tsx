import { useEffect, useRef, useState } from 'preact/hooks';
import { messagesLocale, plural, t } from '@/components/i18n';
import { callsUpdatedAt } from '@/lib/calls/calls-updated';
import type { CallHistory as History, HistoryCall } from '@/lib/dialer/call-history';
import { sendMessage } from '@/lib/messaging';
import { usePageVisible } from './use-page-visible';
import { formatDuration, formatWhen } from './when';

type Loaded = { e164: string; history: History } | { e164: string; failed: true };

/**
 * The last calls with the number beside the dialer: the user's own and the team's, from Sellsy.
 * Asked only while the panel is on screen, once per number and once more each time the calls
 * logged change; a hidden panel asks when it is seen again.
 */
export function CallHistory({ e164, openRecord, doc = document }: { e164: string; openRecord(url: string): void; doc?: Document }) {
  const visible = usePageVisible(doc);
  const [loaded, setLoaded] = useState<Loaded>();
  // Bumped when the background logged calls: the list may have a new one.
  const [changes, setChanges] = useState(0);
  // What was last asked (number and change), so coming back on screen does not ask it again.
  const asked = useRef<string>();
  const current = useRef(e164);
  current.current = e164;

  useEffect(() => callsUpdatedAt.watch(() => setChanges((n) => n + 1)), []);

  useEffect(() => {
    if (!visible) return;
    const ask = `${e164}#${changes}`;
    if (asked.current === ask) return;
    asked.current = ask;
    // An answer for a number the panel has left is dropped; one for this number is kept even if
    // the panel was hidden meanwhile (it would not be asked again).
    sendMessage('callHistory', { e164 }).then(
      (history) => current.current === e164 && setLoaded({ e164, history }),
      () => current.current === e164 && setLoaded({ e164, failed: true }),
    );
  }, [e164, changes, visible]);

  const shown = loaded?.e164 === e164 ? loaded : undefined;
  const history = shown && 'history' in shown ? shown.history : undefined;
  return (
    <section class="history" aria-labelledby="history-heading">
      <h3 id="history-heading">{t('historyHeading')}</h3>
      {!shown ? (
        <p class="hint" role="status">
          {t('historyLoading')}
        </p>
      ) : !history ? (
        <p class="error">{t('historyFailed')}</p>
      ) : history.calls.length === 0 ? (
        <p class="hint">{t('historyEmpty')}</p>
      ) : (
        <ol class="history-calls">
          {history.calls.map((call) => (
            <HistoryLine key={call.key} call={call} openRecord={openRecord} />
          ))}
        </ol>
      )}
      {history?.team === 'unavailable' ? <p class="hint">{t('historyTeamUnavailable')}</p> : null}
      {history && history.skipped > 0 ? <p class="hint">{plural('historySkipped', history.skipped)}</p> : null}
    </section>
  );
}

function HistoryLine({ call, openRecord }: { call: HistoryCall; openRecord(url: string): void }) {
  const locale = messagesLocale();
  const direction = call.direction === 'in' ? t('directionIn') : call.direction === 'out' ? t('directionOut') : undefined;
  const outcome = call.missed
    ? t(call.direction === 'out' ? 'historyNoAnswer' : 'historyMissed')
    : call.durationS !== undefined
      ? formatDuration(call.durationS, locale)
      : undefined;
  return (
    <li class="history-call">
      <span class="history-head">
        {direction ? (
          <>
            <span role="img" aria-label={direction} title={direction}>
              {call.direction === 'in' ? '↙' : '↗'}
            </span>{' '}
          </>
        ) : null}
        <strong>{call.byYou ? t('historyByYou') : (call.byName ?? t('historyByColleague'))}</strong>
        {/* A date or a length is never cut across two lines. */}
        <span class="hint">
          {' · '}
          <time class="nowrap" dateTime={call.date}>
            {formatWhen(call.date, Date.now(), locale)}
          </time>
          {outcome ? (
            <>
              {' · '}
              <span class="nowrap">{outcome}</span>
            </>
          ) : null}
        </span>
      </span>
      {call.record ? (
        <a
          class="history-record"
          href={call.record.url}
          onClick={(event) => {
            event.preventDefault();
            openRecord(call.record!.url);
          }}
        >
          {call.record.name}
        </a>
      ) : null}
      {call.summary ? <p class="summary">{call.summary}</p> : null}
    </li>
  );
}
