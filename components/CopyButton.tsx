import { useState } from 'preact/hooks';
import { t } from './i18n';

/** A Copy button for a value shown beside it (or a text it names in `label`), and a status that says whether it worked. */
export function CopyButton({ text, describedBy, label }: { text: string; describedBy?: string; label?: string }) {
  const [copied, setCopied] = useState<boolean>();
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <>
      <button type="button" onClick={() => void copy()} aria-describedby={describedBy}>
        {label ?? t('panelCopy')}
      </button>
      <span role="status">{copied === true ? t('panelCopied') : copied === false ? t('panelCopyFailed') : ''}</span>
    </>
  );
}
