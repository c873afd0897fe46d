import { useEffect, useRef, useState } from 'preact/hooks';
import { messagesLocale, t, type MessageKey } from '@/components/i18n';
import type { PanelRecord } from '@/lib/dialer/number-records';
import { DUE_CHOICES, type DueChoice, dueAt, dueOn, localIso, MAX_AHEAD_MS } from '@/lib/follow-up/due-time';
import { followUpsItem, latestFor, readFollowUps } from '@/lib/follow-up/follow-up-items';
import type { FollowUpProblem, FollowUpView } from '@/lib/follow-up/follow-up-shape';
import { sendMessage } from '@/lib/messaging';

const PROBLEM_KEYS: Record<FollowUpProblem, MessageKey> = {
  'no-scope': 'followUpNoScope',
  'no-label': 'followUpNoLabel',
  gone: 'followUpGone',
  disconnected: 'followUpDisconnected',
  refused: 'followUpRefused',
  unreachable: 'followUpUnreachable',
};

type Choice = DueChoice | 'date';

const format = (date: Date, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(messagesLocale(), options).format(date);
const time = (date: Date) => format(date, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = (date: Date) => format(date, { weekday: 'long', hour: '2-digit', minute: '2-digit' });

/** Each moment offered, with its words; "later today" only while it is still today. */
function offered(now: Date): Array<{ choice: DueChoice; due: Date; label: string }> {
  const words: Record<DueChoice, (due: Date) => string> = {
    'later-today': (due) => t('followUpLaterToday', time(due)),
    tomorrow: (due) => t('followUpTomorrow', time(due)),
    'in-two-days': (due) => t('followUpInTwoDays', dayAndTime(due)),
    'next-week': (due) => t('followUpNextWeek', dayAndTime(due)),
  };
  return DUE_CHOICES.flatMap((choice) => {
    const due = dueAt(choice, now);
    return due ? [{ choice, due, label: words[choice](due) }] : [];
  });
}

/**
 * "Call back": a Sellsy task on one of the number's records, due at a moment chosen with the
 * keyboard, titled with the record's name and the note's first line. What happens to it is read
 * from storage, so closing the panel loses nothing and reopening it shows where it stands.
 */
export function FollowUp({ e164, records, noteFirstLine }: { e164: string; records: PanelRecord[]; noteFirstLine?: string }) {
  const [latest, setLatest] = useState<FollowUpView>();
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<Choice>();
  const [recordKey, setRecordKey] = useState(records[0]?.key ?? '');
  const [date, setDate] = useState('');
  const [hour, setHour] = useState('09:00');
  const [working, setWorking] = useState(false);
  const [said, setSaid] = useState<MessageKey>();
  // Set in the press itself: a second press before the next render sends nothing.
  const busy = useRef(false);
  const opener = useRef<HTMLButtonElement>(null);
  const firstChoice = useRef<HTMLInputElement>(null);
  const dateField = useRef<HTMLInputElement>(null);
  const outcome = useRef<HTMLParagraphElement>(null);
  const [returnFocus, setReturnFocus] = useState(false);

  useEffect(() => {
    const show = (value: unknown) => setLatest(latestFor(readFollowUps(value), e164));
    void followUpsItem.getValue().then(show);
    return followUpsItem.watch(show);
  }, [e164]);
  useEffect(() => {
    if (open) firstChoice.current?.focus();
  }, [open]);
  useEffect(() => {
    if (!open && returnFocus) opener.current?.focus();
  }, [open, returnFocus]);
  // The form closes on sending: the keys go to the words saying what became of it.
  useEffect(() => {
    if (!open && latest && latest.state !== 'creating') outcome.current?.focus();
  }, [open, latest?.state]);

  const record = records.find((r) => r.key === recordKey) ?? records[0];
  if (!record) return null;

  const now = new Date();
  const moments = offered(now);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.current) return;
    const due = choice === 'date' ? dueOn(date, hour, new Date()) : choice ? dueAt(choice, new Date()) : null;
    if (!due) {
      setSaid('followUpDateNeeded');
      if (choice === 'date') dateField.current?.focus();
      else firstChoice.current?.focus();
      return;
    }
    busy.current = true;
    setWorking(true);
    setSaid(undefined);
    const before = latest?.id;
    try {
      const result = await sendMessage('createFollowUp', {
        e164,
        record: { key: record.key, name: record.name },
        dueAt: localIso(due),
        ...(noteFirstLine?.trim() ? { noteFirstLine } : {}),
      });
      if (result.ok) {
        setLatest(result.followUp);
        setOpen(false);
      } else setSaid(PROBLEM_KEYS[result.problem]);
    } catch {
      // The answer is lost, but the worker may have stored the request before it stopped: then it
      // is under way (or done) and a second press would make a second task, so it is shown instead.
      const storedNow = latestFor(readFollowUps(await followUpsItem.getValue().catch(() => [])), e164);
      if (storedNow && storedNow.id !== before) {
        setLatest(storedNow);
        setOpen(false);
      } else setSaid('followUpNotSent');
    } finally {
      busy.current = false;
      setWorking(false);
    }
  };

  const retry = async () => {
    if (!latest || busy.current) return;
    busy.current = true;
    setWorking(true);
    try {
      const view = await sendMessage('retryFollowUp', { id: latest.id });
      if (view) setLatest(view);
    } catch {
      // The stored request is still there: the next Retry or the worker's own pass carries it out.
    } finally {
      busy.current = false;
      setWorking(false);
    }
  };

  if (!open) {
    const due = latest ? new Date(latest.dueAt) : undefined;
    return (
      <div class="follow-up">
        {latest?.state === 'creating' ? (
          <p class="hint" role="status">
            {t('followUpCreating')} {latest.delayed ? t('followUpDelayed') : null}
          </p>
        ) : null}
        {latest?.state === 'created' && due ? (
          <p class="ok" role="status" tabIndex={-1} ref={outcome}>
            {t('followUpCreated', latest.recordName, format(due, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }))}
          </p>
        ) : null}
        {latest?.state === 'failed' ? (
          <p class="error" role="alert" tabIndex={-1} ref={outcome}>
            {t(PROBLEM_KEYS[latest.problem ?? 'refused'])}
          </p>
        ) : null}
        {latest?.state === 'creating' ? null : (
          <div class="follow-up-buttons">
            {latest?.state === 'failed' ? (
              <button type="button" onClick={retry} disabled={working} aria-busy={working}>
                {t('followUpRetry')}
              </button>
            ) : null}
            <button
              type="button"
              ref={opener}
              aria-expanded="false"
              onClick={() => {
                setOpen(true);
                setSaid(undefined);
                setChoice(undefined);
              }}
            >
              {t(latest?.state === 'created' ? 'followUpAnother' : 'followUpOpen')}
            </button>
          </div>
        )}
      </div>
    );
  }

  return (
    <form class="follow-up" onSubmit={submit} aria-busy={working} noValidate>
      <fieldset disabled={working}>
        <legend>{t('followUpLegend')}</legend>
        {records.length > 1 ? (
          <>
            <label for="follow-up-record">{t('followUpRecord')}</label>
            <select id="follow-up-record" value={record.key} onChange={(e) => setRecordKey(e.currentTarget.value)}>
              {records.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.companyName ? `${r.name} (${r.companyName})` : r.name}
                </option>
              ))}
            </select>
          </>
        ) : (
          <p class="follow-up-record">
            {t('followUpRecord')} <strong>{record.name}</strong>
          </p>
        )}
        <fieldset class="follow-up-when" aria-describedby={said ? 'follow-up-said' : undefined}>
          <legend>{t('followUpWhen')}</legend>
          {[...moments.map(({ choice: c, label }) => ({ value: c as Choice, label })), { value: 'date' as Choice, label: t('followUpOnDate') }].map(
            ({ value, label }, i) => (
              <label key={value} class="choice">
                <input
                  type="radio"
                  name="follow-up-when"
                  value={value}
                  ref={i === 0 ? firstChoice : undefined}
                  checked={choice === value}
                  onChange={() => setChoice(value)}
                />
                {label}
              </label>
            ),
          )}
        </fieldset>
        {choice === 'date' ? (
          <div class="follow-up-date">
            <label for="follow-up-date">{t('followUpDate')}</label>
            <input
              id="follow-up-date"
              type="date"
              ref={dateField}
              value={date}
              min={localIso(now).slice(0, 10)}
              max={localIso(new Date(now.getTime() + MAX_AHEAD_MS)).slice(0, 10)}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
            <label for="follow-up-time">{t('followUpTime')}</label>
            <input id="follow-up-time" type="time" value={hour} onInput={(e) => setHour(e.currentTarget.value)} />
          </div>
        ) : null}
        <div class="follow-up-actions">
          <button type="submit" class="primary">
            {t('followUpSubmit')}
          </button>
          <button
            type="button"
            onClick={() => {
              setOpen(false);
              setSaid(undefined);
              setReturnFocus(true);
            }}
          >
            {t('followUpCancel')}
          </button>
        </div>
      </fieldset>
      {working ? (
        <p class="hint" role="status">
          {t('followUpCreating')}
        </p>
      ) : null}
      {said ? (
        <p class="error" role="alert" id="follow-up-said">
          {t(said)}
        </p>
      ) : null}
    </form>
  );
}
