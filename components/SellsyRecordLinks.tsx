import { useEffect, useState } from 'preact/hooks';
import { checkAppHost } from '@/lib/app-hosts/host-rules';
import type { RecordLinksView } from '@/lib/app-hosts/record-links';
import { sendMessage } from '@/lib/messaging';
import { RECORD_PATHS, type RecordPath } from '@/lib/sellsy/record-url';
import { t, type MessageKey } from './i18n';
import { ManagedNote } from './ManagedNote';

const LABELS: Record<RecordPath, MessageKey> = {
  contact: 'recordPathContact',
  client: 'recordPathClient',
  prospect: 'recordPathProspect',
  individual: 'recordPathIndividual',
};

type Form = { appUrl: string; paths: Record<RecordPath, string> };

function formOf(view: RecordLinksView): Form {
  return {
    appUrl: view.user.appUrl ?? '',
    paths: Object.fromEntries(RECORD_PATHS.map((key) => [key, view.user.paths?.[key] ?? ''])) as Record<RecordPath, string>,
  };
}

/**
 * Options: where the links to Sellsy records (popup, side panel) point, when the company's
 * Sellsy is not at the build's address or its record pages moved. Empty fields keep the
 * default, shown as placeholder; parts the policy sets are locked. "Test a link" opens one
 * cached record with the links as saved.
 */
export function SellsyRecordLinks() {
  const [view, setView] = useState<RecordLinksView>();
  const [form, setForm] = useState<Form>();
  const [problem, setProblem] = useState<MessageKey>();
  const [note, setNote] = useState<string>();
  const [unsure, setUnsure] = useState<string>();
  useEffect(() => {
    // Nothing to show while the background cannot answer; the hosts above still work.
    sendMessage('getRecordLinks').then(
      (loaded) => {
        setView(loaded);
        setForm(formOf(loaded));
      },
      () => undefined,
    );
  }, []);
  if (!view || !form) return null;

  const send = () => {
    setUnsure(undefined);
    void sendMessage('setRecordLinks', form).then((result) => {
      if (!result.ok) return setProblem(result.reason === 'app-url' ? 'recordLinksErrAppUrl' : 'recordLinksErrPath');
      setProblem(undefined);
      setView(result.view);
      setForm(formOf(result.view));
      setNote(t('recordLinksSaved'));
    });
  };
  const save = (event: Event) => {
    event.preventDefault();
    setNote(undefined);
    // Links open there, and the side panel sends the Sellsy tab there: another domain may be a
    // white-label Sellsy, or a mistake. Say so and ask once more, as for an added app host.
    const check = view.managed.appUrl || form.appUrl.trim() === '' ? undefined : checkAppHost(form.appUrl);
    if (check?.ok && !check.sellsy) return setUnsure(check.host);
    send();
  };
  const test = (path: RecordPath) =>
    void sendMessage('testRecordLink', { path }).then((result) => setNote('url' in result ? t('recordLinksOpened', result.url) : t('recordLinksNone')));

  return (
    <form class="setting record-links" onSubmit={save}>
      <h3>{t('recordLinksHeading')}</h3>
      <p class="hint">{t('recordLinksHelp')}</p>
      <label for="record-app-url">{t('recordLinksAppUrl')}</label>
      {view.managed.appUrl && <ManagedNote />}
      <input
        id="record-app-url"
        type="url"
        spellcheck={false}
        placeholder={view.defaults.appUrl}
        value={view.managed.appUrl ? view.effective.appUrl : form.appUrl}
        disabled={view.managed.appUrl}
        aria-invalid={problem === 'recordLinksErrAppUrl' ? true : undefined}
        onInput={(event) => setForm({ ...form, appUrl: event.currentTarget.value })}
      />
      {RECORD_PATHS.map((key) => {
        const locked = view.managed.paths.includes(key);
        return (
          <div class="record-path" key={key}>
            <label for={`record-path-${key}`}>{t(LABELS[key])}</label>
            {locked && <ManagedNote />}
            <input
              id={`record-path-${key}`}
              type="text"
              spellcheck={false}
              placeholder={view.defaults.paths[key]}
              value={locked ? view.effective.paths[key] : form.paths[key]}
              disabled={locked}
              onInput={(event) => setForm({ ...form, paths: { ...form.paths, [key]: event.currentTarget.value } })}
            />
            <button type="button" onClick={() => test(key)}>
              {t('recordLinksTest', t(LABELS[key]))}
            </button>
          </div>
        );
      })}
      {problem && (
        <p class="error" role="alert">
          {t(problem)}
        </p>
      )}
      {unsure && (
        <div role="alert">
          <p class="error">{t('recordLinksNotSellsy', unsure)}</p>
          <button type="button" onClick={send}>
            {t('recordLinksSaveAnyway', unsure)}
          </button>
        </div>
      )}
      {note && (
        <p class="hint" role="status">
          {note}
        </p>
      )}
      <div class="actions">
        <button type="submit">{t('recordLinksSave')}</button>
      </div>
    </form>
  );
}
