import type { CountryCode } from 'libphonenumber-js/min';
import { useEffect, useRef, useState } from 'preact/hooks';
import { plural, t } from '@/components/i18n';
import { sendMessage } from '@/lib/messaging';
import { PanelRecordLabel } from './PanelRecordLabel';
import { formatNumber } from '@/lib/phone/format-number';
import type { FoundRecord } from '@/lib/search/search-records';

/** Typing is not asked about letter by letter: a pause this long asks. */
const TYPING_PAUSE_MS = 80;

type Results = { query: string; records: FoundRecord[] } | 'failed' | undefined;

/**
 * Calls anyone in the cached Sellsy address book by name: the words typed start the words of a
 * name or a company, in any order, accents aside ("dup mar" finds Marie Dupont). Enter calls the
 * first number found; Arrow Down goes through the numbers; each is a button that calls it.
 */
export function NameSearch({
  country,
  call,
  openRecord,
  focusSignal,
}: {
  country: CountryCode;
  /** Hands the number to the call target the user chose, as a click in Sellsy does. */
  call(e164: string): void;
  openRecord(url: string): void;
  /** Changes when the keyboard shortcut asks for the box: it takes the focus then. */
  focusSignal?: number;
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Results>();
  const box = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  // Enter pressed before the answer to what is typed now came: it calls once that answer comes.
  const enterFor = useRef<string>();

  useEffect(() => {
    if (focusSignal) box.current?.focus();
  }, [focusSignal]);

  useEffect(() => {
    const asked = query.trim();
    if (!asked) {
      setResults(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      sendMessage('searchRecords', { query: asked.slice(0, 200) }).then(
        ({ records }) => {
          if (!live) return;
          setResults({ query: asked, records });
          const first = records[0]?.phones[0];
          if (enterFor.current === asked && first) call(first);
          enterFor.current = undefined;
        },
        () => live && setResults('failed'),
      );
    }, TYPING_PAUSE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const numberButtons = () => [...(list.current?.querySelectorAll<HTMLButtonElement>('button.call-number') ?? [])];
  const onBoxKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      const asked = query.trim();
      // Only an answer to what is in the box now: an older one may name someone else.
      const current = results && results !== 'failed' && results.query === asked ? results : undefined;
      if (!current) enterFor.current = asked || undefined;
      else if (current.records[0]?.phones[0]) call(current.records[0].phones[0]);
    } else if (event.key === 'ArrowDown') {
      const [first] = numberButtons();
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === 'Escape' && query) {
      event.preventDefault();
      setQuery('');
    }
  };
  const onListKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = numberButtons();
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    event.preventDefault();
    const next = at + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) box.current?.focus();
    else buttons[Math.min(next, buttons.length - 1)]?.focus();
  };

  return (
    <section class="search" aria-labelledby="search-label">
      <label id="search-label" for="name-search">
        {t('searchLabel')}
      </label>
      <input
        ref={box}
        id="name-search"
        type="search"
        autocomplete="off"
        spellcheck={false}
        maxLength={200}
        placeholder={t('searchPlaceholder')}
        aria-describedby="search-hint"
        value={query}
        onInput={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={onBoxKey}
      />
      <p id="search-hint" class="hint">
        {t('searchHint')}
      </p>
      {results === 'failed' ? (
        <p class="error" role="status">
          {t('searchFailed')}
        </p>
      ) : null}
      {results && results !== 'failed' ? (
        <>
          <p class="hint" role="status">
            {results.records.length === 0 ? t('searchNone') : plural('searchFound', results.records.length)}
          </p>
          {/* Arrow keys move between the number buttons inside (keydown bubbles up from them). */}
          <ul class="records found" ref={list} onKeyDown={onListKey}>
            {results.records.map((record) => (
              <li key={record.key}>
                <PanelRecordLabel record={record} openRecord={openRecord} />
                <span class="numbers">
                  {record.phones.map((e164) => (
                    <button
                      key={e164}
                      type="button"
                      class="call-number"
                      aria-label={t('searchCallNumber', formatNumber(e164, country), record.name)}
                      onClick={() => call(e164)}
                    >
                      {formatNumber(e164, country)}
                    </button>
                  ))}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
