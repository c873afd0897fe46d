import { useState } from 'preact/hooks';
import { t } from './i18n';

/** A Copy button for a value shown beside it, and a status that says whether it worked. */
export function CopyButton({ text, describedBy }: { text: string; describedBy?: string }) {
  const [copied, setCopied] = useState<boolean>();
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <>
      <button type="button" onClick={() => void copy()} aria-describedby={describedBy}>
        {t('panelCopy')}
      </button>
      <span role="status">{copied === true ? t('panelCopied') : copied === false ? t('panelCopyFailed') : ''}</span>
    </>
  );
}
