import { useEffect, useRef, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/components/i18n';
import { COMPANY_MAX, NAME_MAX, type NewContactProblem, type NewContactResult } from '@/lib/dialer/new-contact-shape';
import { sendMessage } from '@/lib/messaging';

const PROBLEM_KEYS: Record<NewContactProblem, MessageKey> = {
  refused: 'newContactRefused',
  'no-rights': 'newContactNoRights',
  offline: 'newContactOffline',
  busy: 'newContactBusy',
  disconnected: 'newContactDisconnected',
};

type Said = { kind: 'error'; key: MessageKey } | { kind: 'done'; text: string } | undefined;

/**
 * "Create contact" for a number no Sellsy record has: first name, last name, an optional company,
 * and the number itself, shown. While Sellsy works the button is disabled; on an error the form
 * keeps what was typed and says what to do.
 */
export function NewContact({ e164, shownNumber, onCreated }: { e164: string; shownNumber: string; onCreated(): void }) {
  const [open, setOpen] = useState(false);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [company, setCompany] = useState('');
  const [working, setWorking] = useState(false);
  const [said, setSaid] = useState<Said>();
  const lastNameField = useRef<HTMLInputElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  // Set in the press itself: a second press before the next render sends nothing.
  const busy = useRef(false);
  // The person just asked for the form: its first field takes the keys.
  useEffect(() => {
    if (open) firstField.current?.focus();
  }, [open]);
  const opener = useRef<HTMLButtonElement>(null);
  // Cancel gives the keys back to the button that opened the form.
  const [closedByCancel, setClosedByCancel] = useState(false);
  useEffect(() => {
    if (!open && closedByCancel) opener.current?.focus();
  }, [open, closedByCancel]);

  // The form goes away once the contact exists: the keys go to the words saying so, not to the page.
  const doneMessage = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (said?.kind === 'done') doneMessage.current?.focus();
  }, [said]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.current) return;
    if (!lastName.trim()) {
      setSaid({ kind: 'error', key: 'newContactLastNameNeeded' });
      lastNameField.current?.focus();
      return;
    }
    busy.current = true;
    setWorking(true);
    setSaid(undefined);
    let result: NewContactResult;
    try {
      result = await sendMessage('createContact', { e164, firstName: firstName.trim(), lastName: lastName.trim(), company: company.trim() });
    } catch {
      // The worker could not be reached (or refused a payload): nothing was sent to Sellsy.
      result = { ok: false, problem: 'busy' };
    }
    busy.current = false;
    setWorking(false);
    if (!result.ok) {
      setSaid({ kind: 'error', key: PROBLEM_KEYS[result.problem] });
      return;
    }
    setSaid({ kind: 'done', text: t(result.created ? 'newContactCreated' : 'newContactFound', result.name) });
    setOpen(false);
    onCreated();
  };

  if (!open) {
    return (
      <div class="new-contact">
        {said?.kind === 'done' ? (
          <p class="ok" role="status" tabIndex={-1} ref={doneMessage}>
            {said.text}
          </p>
        ) : (
          <button
            type="button"
            ref={opener}
            aria-expanded="false"
            onClick={() => {
              setOpen(true);
              setSaid(undefined);
            }}
          >
            {t('newContactOpen')}
          </button>
        )}
      </div>
    );
  }

  return (
    <form class="new-contact" onSubmit={submit} aria-busy={working} noValidate>
      <fieldset disabled={working}>
        <legend>{t('newContactLegend')}</legend>
        <label for="new-contact-first">{t('newContactFirstName')}</label>
        <input
          id="new-contact-first"
          type="text"
          autocomplete="off"
          maxLength={NAME_MAX}
          value={firstName}
          ref={firstField}
          onInput={(e) => setFirstName(e.currentTarget.value)}
        />
        <label for="new-contact-last">{t('newContactLastName')}</label>
        <input
          id="new-contact-last"
          ref={lastNameField}
          type="text"
          autocomplete="off"
          required
          aria-required="true"
          aria-invalid={said?.kind === 'error' && said.key === 'newContactLastNameNeeded'}
          aria-describedby={said?.kind === 'error' ? 'new-contact-said' : undefined}
          maxLength={NAME_MAX}
          value={lastName}
          onInput={(e) => setLastName(e.currentTarget.value)}
        />
        <label for="new-contact-company">{t('newContactCompany')}</label>
        <input
          id="new-contact-company"
          type="text"
          autocomplete="off"
          maxLength={COMPANY_MAX}
          aria-describedby="new-contact-company-help"
          value={company}
          onInput={(e) => setCompany(e.currentTarget.value)}
        />
        <p class="hint" id="new-contact-company-help">
          {t('newContactCompanyHelp')}
        </p>
        <p class="new-contact-number">
          {t('newContactNumber')} <span class="call-number">{shownNumber}</span>
        </p>
        <div class="new-contact-actions">
          <button type="submit" class="primary">
            {t('newContactSubmit')}
          </button>
          <button
            type="button"
            onClick={() => {
              setOpen(false);
              setSaid(undefined);
              setClosedByCancel(true);
            }}
          >
            {t('newContactCancel')}
          </button>
        </div>
      </fieldset>
      {working ? (
        <p class="hint" role="status">
          {t('newContactWorking')}
        </p>
      ) : null}
      {said?.kind === 'error' ? (
        <p class="error" role="alert" id="new-contact-said">
          {t(said.key)}
        </p>
      ) : null}
    </form>
  );
}
