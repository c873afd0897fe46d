import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { USERS_SCOPE } from '@/lib/allo/api-key';
import type { ActionError, AlloStatus } from '@/lib/connection/status';
import { alloErrorText } from './error-text';
import { t, type MessageKey } from './i18n';

// Why the last look for new calls failed, and what to do about it.
const ALLO_PROBLEM_KEYS: Partial<Record<NonNullable<Extract<AlloStatus, { state: 'connected' }>['problem']>, MessageKey>> = {
  'invalid-key': 'alloProblemKey',
  forbidden: 'alloProblemScope',
  network: 'alloErrNetwork',
  server: 'alloErrServer',
  'rate-limited': 'alloErrRateLimited',
};

interface Props {
  status: AlloStatus;
  busy: boolean;
  error: ActionError | undefined;
  onSave(key: string): Promise<boolean>;
  /** Without it, no Disconnect button (the popup offers it only when the key has a problem). */
  onDisconnect?: () => void;
  /** Said under the connection state (the popup: how often calls are looked for). */
  children?: ComponentChildren;
}

export function AlloConnection({ status, busy, error, onSave, onDisconnect, children }: Props) {
  const [key, setKey] = useState('');
  // The administrator's key is not in use: say why; there is no key for the user to type.
  const managedKey = status.state === 'disconnected' ? status.managed : undefined;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await onSave(key)) setKey('');
  };
  return (
    <section class="card" aria-labelledby="allo-heading">
      <h2 id="allo-heading">{t('alloHeading')}</h2>
      <div class="state" role="status" aria-live="polite">
        {busy && <p>{t('savingAlloKey')}</p>}
        {!busy && managedKey && <ManagedKeyState {...managedKey} />}
        {!busy && status.state === 'connected' && (
          <>
            <p class="ok">{status.teamName ? t('alloConnectedTeam', status.teamName) : t('alloConnected')}</p>
            {!status.scopes.includes(USERS_SCOPE) && <p class="hint">{t('alloNoUsersScope')}</p>}
            {status.problem && <p class="error">{t(ALLO_PROBLEM_KEYS[status.problem] ?? 'alloProblemOther')}</p>}
          </>
        )}
      </div>
      {status.state === 'connected' && children}
      {status.state === 'connected' && status.managed ? (
        <p class="managed">{t('alloManaged')}</p>
      ) : managedKey ? null : status.state === 'connected' ? (
        onDisconnect && (
          <div class="actions">
            <button type="button" onClick={onDisconnect}>
              {t('disconnectAllo')}
            </button>
          </div>
        )
      ) : (
        <form onSubmit={submit}>
          <label for="allo-key">{t('alloKeyLabel')}</label>
          <input
            id="allo-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={key}
            aria-describedby="allo-key-help"
            aria-invalid={error ? true : undefined}
            onInput={(event) => setKey(event.currentTarget.value)}
          />
          <p id="allo-key-help" class="hint">
            {t('alloKeyHelp')}
          </p>
          {error && !busy && (
            <p class="error" role="alert">
              {alloErrorText(error)}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('saveAlloKey')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Where the administrator's Allo key stands when it is not connected, naming it as theirs. */
function ManagedKeyState({ refused, unchecked }: { refused?: ActionError; unchecked?: ActionError }) {
  if (refused) {
    return (
      <>
        <p class="error">{t('alloManagedRefused')}</p>
        <p class="hint">{alloErrorText(refused)}</p>
      </>
    );
  }
  if (unchecked) {
    return (
      <>
        <p class="error">{t('alloManagedUnchecked')}</p>
        <p class="hint">{alloErrorText(unchecked)}</p>
      </>
    );
  }
  return <p>{t('alloManagedChecking')}</p>;
}
