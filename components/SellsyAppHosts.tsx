import { useEffect, useState } from 'preact/hooks';
import { type AppHostsView, watchUserAppHosts } from '@/lib/app-hosts/app-hosts';
import { askForAppHost } from '@/lib/app-hosts/ask-for-host';
import { type AppHostRefusal, checkAppHost } from '@/lib/app-hosts/host-rules';
import { sendMessage } from '@/lib/messaging';
import { watchManagedSettings } from '@/lib/policy/managed-settings';
import { t, type MessageKey } from './i18n';
import { ManagedNote } from './ManagedNote';
import { SellsyRecordLinks } from './SellsyRecordLinks';

const REFUSALS: Record<AppHostRefusal | 'built-in', MessageKey> = {
  invalid: 'appHostErrInvalid',
  'not-https': 'appHostErrNotHttps',
  'not-the-app': 'appHostErrNotTheApp',
  'built-in': 'appHostErrBuiltIn',
};

/**
 * Options and guide: the addresses of Sellsy's app the extension runs on, beyond the build's.
 * Adding one asks Chrome for that host only; an address outside Sellsy's domains is added only
 * after a warning and a second click.
 */
export function SellsyAppHosts() {
  const [view, setView] = useState<AppHostsView>();
  const [input, setInput] = useState('');
  const [problem, setProblem] = useState<MessageKey>();
  const [unsure, setUnsure] = useState<string>();
  useEffect(() => {
    const list = () => void sendMessage('listAppHosts').then(setView);
    list();
    // Another page may change the list (a second options window, the guide, the popup's offer),
    // the administrator the policy, and the person Chrome's permission (in the extension's
    // details, another tab): the list follows, the last when this page comes back to the front.
    const stops = [watchUserAppHosts(list), watchManagedSettings(list)];
    const onVisible = () => {
      if (document.visibilityState === 'visible') list();
    };
    window.addEventListener('focus', list);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      for (const stop of stops) stop();
      window.removeEventListener('focus', list);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  const add = (host: string) => {
    setUnsure(undefined);
    void askForAppHost(host).then(({ granted, result }) => {
      setView(result.view);
      if (!result.ok) return setProblem(REFUSALS[result.reason]);
      setInput('');
      setProblem(granted ? undefined : 'appHostNotGranted');
    });
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const check = checkAppHost(input);
    if (!check.ok) return setProblem(REFUSALS[check.reason]);
    setProblem(undefined);
    // Another domain may be a white-label Sellsy, or a mistake: say so and ask once more.
    if (!check.sellsy) return setUnsure(check.host);
    add(check.host);
  };
  const remove = (host: string) => void sendMessage('removeAppHost', { host }).then(setView);

  return (
    <div class="setting">
      <p class="hint">{t('appHostsHelp', view?.builtIn.join(', ') ?? '')}</p>
      {view && view.hosts.length > 0 && (
        <ul class="app-hosts">
          {view.hosts.map(({ host, source, granted, notStarted }) => (
            <li key={host}>
              <span>{host}</span>
              {!granted && <span class="hint"> {t('appHostWaiting')}</span>}
              {notStarted && (
                <span class="error" role="alert">
                  {' '}
                  {t('appHostNotStarted')}
                </span>
              )}
              {source === 'policy' && <ManagedNote />}
              {/* Whoever listed it, a host Chrome does not allow (a refused prompt, or taken back in Chrome) is allowed from here. */}
              {!granted && (
                <button type="button" onClick={() => add(host)}>
                  {t('appHostAllow', host)}
                </button>
              )}
              {source === 'user' && (
                <button type="button" onClick={() => remove(host)}>
                  {t('appHostRemove', host)}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit}>
        <label for="app-host">{t('appHostLabel')}</label>
        <input
          id="app-host"
          type="text"
          inputmode="url"
          spellcheck={false}
          placeholder="eu.sellsy.com"
          value={input}
          aria-invalid={problem ? true : undefined}
          onInput={(event) => setInput(event.currentTarget.value)}
        />
        {problem && (
          <p class="error" role="alert">
            {t(problem)}
          </p>
        )}
        {unsure && (
          <div role="alert">
            <p class="error">{t('appHostNotSellsy', unsure)}</p>
            <button type="button" onClick={() => add(unsure)}>
              {t('appHostAddAnyway', unsure)}
            </button>
          </div>
        )}
        <div class="actions">
          <button type="submit">{t('appHostAdd')}</button>
        </div>
      </form>
      <SellsyRecordLinks />
    </div>
  );
}
