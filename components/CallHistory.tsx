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
  const now = useMinuteClock(visible);
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
            <HistoryLine key={call.key} call={call} now={now} openRecord={openRecord} />
          ))}
        </ol>
      )}
      {history?.team === 'unavailable' ? <p class="hint">{t('historyTeamUnavailable')}</p> : null}
      {history && history.skipped > 0 ? <p class="hint">{plural('historySkipped', history.skipped)}</p> : null}
    </section>
  );
}

/**
 * The time "3 min ago" is said against: read again every minute while the panel is on screen (a
 * panel stays open all day; a list drawn at 9:00 must not say "3 min ago" at noon), and at once
 * when it is seen again.
 */
function useMinuteClock(visible: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!visible) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, [visible]);
  return now;
}

function HistoryLine({ call, now, openRecord }: { call: HistoryCall; now: number; openRecord(url: string): void }) {
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
        {/* Isolated: a right-to-left name must not carry the date and length along with it. */}
        <strong>
          <bdi>{call.byYou ? t('historyByYou') : (call.byName ?? t('historyByColleague'))}</bdi>
        </strong>
        {/* A date or a length is never cut across two lines. */}
        <span class="hint">
          {' · '}
          <time class="nowrap" dateTime={call.date}>
            {formatWhen(call.date, now, locale)}
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
          <bdi>{call.record.name}</bdi>
        </a>
      ) : null}
      {call.summary ? (
        <p class="summary" dir="auto">
          {call.summary}
        </p>
      ) : null}
    </li>
  );
}
