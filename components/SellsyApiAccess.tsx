import { useEffect, useState } from 'preact/hooks';
import { isClientIdShape, type SellsyClientView } from '@/lib/connection/sellsy-client';
import type { ActionError } from '@/lib/connection/status';
import { sendMessage } from '@/lib/messaging';
import { watchManagedSettings } from '@/lib/policy/managed-settings';
import { SELLSY_SCOPES } from '@/lib/sellsy/scopes';
import { CopyButton } from './CopyButton';
import { SellsyAccessTest } from './SellsyAccessTest';
import { sellsyErrorText } from './error-text';
import { t } from './i18n';

interface Props {
  /** The client was saved (Sellsy may have been disconnected by the change). */
  onSaved?: () => void;
}

type Choice = 'build' | 'company';

/**
 * "Sellsy API access": the build's client, or the company's own private API client (id, and a
 * secret only where Sellsy showed one), with the redirect URL to register and the steps in Sellsy.
 */
export function SellsyApiAccess({ onSaved }: Props) {
  const [view, setView] = useState<SellsyClientView>();
  const [choice, setChoice] = useState<Choice>('company');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<ActionError>();
  const [busy, setBusy] = useState(false);
  // A change that would disconnect Sellsy waits for a second click.
  const [confirming, setConfirming] = useState(false);

  const load = async () => {
    const next = await sendMessage('getSellsyClient');
    setView(next);
    setChoice(next.source === 'user' || !next.buildHasClient ? 'company' : 'build');
    setClientId(next.source === 'user' ? (next.clientId ?? '') : '');
  };
  useEffect(() => {
    void load();
    // The administrator's client may change while the page is open: the one in force is shown.
    return watchManagedSettings(() => void load());
  }, []);

  if (!view) return <p aria-busy="true">{t('loading')}</p>;
  if (view.source === 'managed') {
    return (
      <div class="setting">
        <p class="managed">{t('apiAccessManaged', view.clientId ?? '')}</p>
        <SellsyAccessTest />
      </div>
    );
  }

  // Only a change of the access in use costs anything (Sellsy disconnected, contacts cleared; a
  // new secret of the same client does not);
  // what cannot be a client id is refused at once, never confirmed first.
  const changes =
    view.source !== 'none' &&
    (choice === 'build' ? view.source !== 'build' : isClientIdShape(clientId.trim()) && (view.source !== 'user' || clientId.trim() !== (view.clientId ?? '')));

  const save = async () => {
    setConfirming(false);
    setBusy(true);
    setError(undefined);
    const client = choice === 'build' ? null : { clientId, ...(secret.trim() ? { clientSecret: secret } : {}) };
    const result = await sendMessage('setSellsyClient', { client });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setSecret('');
    await load();
    onSaved?.();
  };

  return (
    <div class="api-access">
      {view.buildHasClient && (
        <fieldset class="setting">
          <legend>{t('apiAccessChoice')}</legend>
          <label>
            <input type="radio" name="api-access" checked={choice === 'build'} onChange={() => setChoice('build')} /> {t('apiAccessBuild')}
          </label>
          <label>
            <input type="radio" name="api-access" checked={choice === 'company'} onChange={() => setChoice('company')} /> {t('apiAccessCompany')}
          </label>
        </fieldset>
      )}
      {choice === 'company' && (
        <>
          <ol class="steps">
            <li>{t('apiStepOpen')}</li>
            <li>{t('apiStepCreate')}</li>
            <li>
              {t('apiStepRedirect')}
              <div class="copy-row">
                <code id="redirect-url">{view.redirectUrl}</code>
                <CopyButton text={view.redirectUrl} describedBy="redirect-url" />
              </div>
            </li>
            <li>
              {t('apiStepScopes')} <code>{SELLSY_SCOPES.join(' ')}</code>
            </li>
            <li>{t('apiStepPaste')}</li>
          </ol>
          <div class="setting">
            <label for="client-id">{t('apiClientId')}</label>
            <input id="client-id" type="text" autocomplete="off" spellcheck={false} value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} />
          </div>
          <div class="setting">
            <label for="client-secret">{t('apiClientSecret')}</label>
            <input
              id="client-secret"
              type="password"
              autocomplete="off"
              value={secret}
              placeholder={view.source === 'user' && view.hasSecret ? t('apiSecretSaved') : ''}
              onInput={(e) => setSecret(e.currentTarget.value)}
            />
            <p class="hint">{t('apiClientSecretHelp')}</p>
          </div>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {sellsyErrorText(error)}
        </p>
      )}
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-labelledby="api-access-confirm">
          <p id="api-access-confirm" class="warning">
            {t('apiAccessConfirmChange')}
          </p>
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={() => void save()}>
              {t('apiAccessConfirm')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('apiAccessCancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button
            type="button"
            class="primary"
            disabled={busy || (choice === 'company' && clientId.trim() === '')}
            onClick={() => (changes ? setConfirming(true) : void save())}
          >
            {t('apiAccessSave')}
          </button>
        </div>
      )}
      {view.source !== 'none' && <SellsyAccessTest />}
    </div>
  );
}
