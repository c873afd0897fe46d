import { useEffect, useRef, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/components/i18n';
import { usePageVisible } from '@/components/use-page-visible';
import { NOTE_MAX, NOTE_OUTCOMES, type NoteOutcome } from '@/lib/notes/call-note';
import type { CallNoteView } from '@/lib/notes/panel-notes';
import { sendMessage } from '@/lib/messaging';

/** Typing is saved this long after the last key (and at once on leaving the box or the panel). */
export const SAVE_DEBOUNCE_MS = 300;
/** A save the background did not take is sent again this long after (and at once on closing). */
const RETRY_SAVE_MS = 3_000;
/** While the note is not in Sellsy yet, whether it is is asked again this often. */
const WRITTEN_CHECK_MS = 10_000;

const OUTCOME_KEYS: Record<NoteOutcome, MessageKey> = {
  answered: 'noteOutcomeAnswered',
  voicemail: 'noteOutcomeVoicemail',
  noanswer: 'noteOutcomeNoAnswer',
  busy: 'noteOutcomeBusy',
  wrongnumber: 'noteOutcomeWrongNumber',
};

type Status = 'idle' | 'saving' | 'saved' | 'written' | 'refused' | 'failed';
const STATUS_KEYS: Partial<Record<Status, MessageKey>> = {
  saving: 'noteSaving',
  saved: 'noteSaved',
  written: 'noteWritten',
  refused: 'noteRefused',
  failed: 'noteNotSaved',
};

function statusOf(note: CallNoteView): Status {
  if (!note.text && !note.outcome) return 'idle';
  if (note.written) return 'written';
  return note.refused ? 'refused' : 'saved';
}

/**
 * The note and outcome of the call the panel shows, or of the last one (the panel reopened after
 * the call). What is typed is saved in the background at once; the call log writes it into the
 * call's Phone Call in Sellsy (lib/notes). `event`: what showed the number (a new object for each
 * click, call or missed call): the same number called again asks again, and gets the same note
 * only within one call's window (note-store.ts). `onNote`: the note as saved, for the panel's other parts.
 */
export function CallNoteBox({ e164, event, onNote }: { e164?: string; event?: object; onNote?(note: CallNoteView | undefined): void }) {
  const [note, setNote] = useState<CallNoteView>();
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<NoteOutcome | null>(null);
  const [status, setStatus] = useState<Status>('idle');
  const visible = usePageVisible();
  const pending = useRef<{ id: string; text: string; outcome: NoteOutcome | null }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const shownId = useRef<string>();
  const shownE164 = useRef<string>();

  const shown = (found: CallNoteView | null) => {
    // The same note again (a second event of the same call): what is on screen is the latest.
    if (found && found.id === shownId.current) return;
    shownId.current = found?.id;
    shownE164.current = found?.e164;
    setNote(found ?? undefined);
    onNote?.(found ?? undefined);
    if (!found) return;
    setText(found.text);
    setOutcome(found.outcome ?? null);
    setStatus(statusOf(found));
  };

  // The call the panel shows (its note, or a new one), or the last note when it shows none.
  useEffect(() => {
    let live = true;
    const request = e164 ? { call: { e164, startedAt: Date.now() } } : {};
    sendMessage('callNote', request).then(
      ({ note: found }) => live && shown(found),
      () => undefined,
    );
    return () => {
      live = false;
      // Keys typed for the note shown are saved to it before another is asked for.
      flush();
    };
  }, [e164, event]);

  const flush = () => {
    clearTimeout(timer.current);
    const save = pending.current;
    if (!save) return;
    pending.current = undefined;
    sendMessage('saveCallNote', save).then(
      ({ note: saved }) => {
        if (!saved) return void moveTo(save);
        if (pending.current) return;
        onNote?.(saved);
        setStatus(statusOf(saved));
      },
      () => retryLater(save),
    );
  };

  const retryLater = (save: { id: string; text: string; outcome: NoteOutcome | null }) => {
    setStatus('failed');
    // Not saved: kept to be sent again, unless newer keys will be.
    if (pending.current) return;
    pending.current = save;
    clearTimeout(timer.current);
    timer.current = setTimeout(flush, RETRY_SAVE_MS);
  };

  /**
   * The note shown is no longer kept (left empty past its time, pruned by another write while the
   * panel stayed open): what was typed goes into the number's note as of now, never dropped.
   */
  const moveTo = (save: { id: string; text: string; outcome: NoteOutcome | null }) => {
    const number = shownE164.current;
    if (!number || save.id !== shownId.current) return;
    void sendMessage('callNote', { call: { e164: number, startedAt: Date.now() } }).then(
      ({ note: found }) => {
        if (!found || save.id !== shownId.current) return;
        shownId.current = found.id;
        setNote(found);
        // Keys typed meanwhile went to the note let go too: the newest text goes.
        pending.current = { ...(pending.current ?? save), id: found.id };
        flush();
      },
      () => retryLater(save),
    );
  };

  const change = (nextText: string, nextOutcome: NoteOutcome | null) => {
    if (!note) return;
    setText(nextText);
    setOutcome(nextOutcome);
    setStatus('saving');
    pending.current = { id: note.id, text: nextText, outcome: nextOutcome };
    clearTimeout(timer.current);
    timer.current = setTimeout(flush, SAVE_DEBOUNCE_MS);
  };

  // Closing the panel saves what the last keys typed.
  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, []);

  // Saved but not in Sellsy yet: asked again now and then while the panel is seen, so that
  // "in Sellsy", or Sellsy's refusal (a scope missing), is said without reopening the panel.
  useEffect(() => {
    if (!note || status !== 'saved' || !visible) return;
    const id = note.id;
    const every = setInterval(() => {
      if (pending.current) return;
      void sendMessage('callNote', { id }).then(
        ({ note: found }) => found && !pending.current && (found.written || found.refused) && setStatus(statusOf(found)),
        () => undefined,
      );
    }, WRITTEN_CHECK_MS);
    return () => clearInterval(every);
  }, [note?.id, status, visible]);

  if (!note) return null;
  const statusKey = STATUS_KEYS[status];
  return (
    <section class="card call-note" aria-labelledby="call-note-heading">
      <h2 id="call-note-heading">{t('noteHeading')}</h2>
      <label for="call-note-text">{t('noteLabel')}</label>
      <textarea id="call-note-text" rows={4} maxLength={NOTE_MAX} value={text} onInput={(event) => change(event.currentTarget.value, outcome)} onBlur={flush} />
      <label for="call-note-outcome">{t('noteOutcomeChoice')}</label>
      <select
        id="call-note-outcome"
        value={outcome ?? ''}
        onChange={(event) => {
          const value = event.currentTarget.value;
          change(text, (NOTE_OUTCOMES as readonly string[]).includes(value) ? (value as NoteOutcome) : null);
          flush();
        }}
      >
        <option value="">{t('noteOutcomeNone')}</option>
        {NOTE_OUTCOMES.map((value) => (
          <option key={value} value={value}>
            {t(OUTCOME_KEYS[value])}
          </option>
        ))}
      </select>
      <p class={`hint note-status${status === 'failed' || status === 'refused' ? ' error' : ''}`} role="status">
        {statusKey ? t(statusKey) : ''}
      </p>
    </section>
  );
}
