import { useEffect, useState } from 'preact/hooks';
import { collectDiagnostics } from '@/lib/diagnostics/collect-diagnostics';
import { sendMessage } from '@/lib/messaging';
import { t } from './i18n';

const sellsyClientSource = async () => (await sendMessage('getSellsyClient')).source;

/**
 * "Copy diagnostics": one paste that tells us what Allo's dialer and the APIs really did here.
 * The report is gathered when the page opens and again at each copy, and shown, so the person sees what they send.
 */
export function Diagnostics() {
  const [report, setReport] = useState<string>();
  const [copied, setCopied] = useState<boolean>();
  const copy = async () => {
    const text = await collectDiagnostics(sellsyClientSource);
    setReport(text);
    setCopied(
      await navigator.clipboard.writeText(text).then(
        () => true,
        () => false,
      ),
    );
  };
  const load = () => void collectDiagnostics(sellsyClientSource).then(setReport);
  useEffect(load, []);
  return (
    <>
      <p class="hint">{t('diagHelp')}</p>
      <div class="actions">
        <button type="button" onClick={() => void copy()}>
          {t('diagCopy')}
        </button>
        <span role="status">{copied === true ? t('diagCopied') : copied === false ? t('diagCopyFailed') : ''}</span>
      </div>
      <details>
        <summary>{t('diagShow')}</summary>
        <pre class="diagnostics">{report ?? ''}</pre>
      </details>
    </>
  );
}
