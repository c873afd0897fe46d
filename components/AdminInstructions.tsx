import { useEffect, useState } from 'preact/hooks';
import { browser } from '#imports';
import { adminInstructionsText } from '@/lib/guide/admin-instructions';
import { sendMessage } from '@/lib/messaging';
import { t } from './i18n';

interface Props {
  /** Also show the text on the page, folded (the guide and the options); the popup only copies. */
  preview?: boolean;
}

/**
 * "Copy instructions for my administrator": the Sellsy API access to create (steps, redirect URL,
 * scopes), the team's Allo key and the Chrome policy option, as plain text for a mail. For a
 * salesperson who cannot create the access themselves.
 */
export function AdminInstructions({ preview = false }: Props) {
  const [text, setText] = useState<string>();
  const [copied, setCopied] = useState<boolean>();
  useEffect(() => {
    void sendMessage('getSellsyClient').then((view) =>
      setText(adminInstructionsText({ redirectUrl: view.redirectUrl, extensionId: browser.runtime.id }, (key, ...subs) => t(key, ...subs))),
    );
  }, []);
  const copy = () => {
    if (text === undefined) return;
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div class="admin-instructions">
      <div class="actions">
        <button type="button" disabled={text === undefined} onClick={copy}>
          {t('adminCopyInstructions')}
        </button>
        <span role="status">{copied === true ? t('adminCopied') : copied === false ? t('adminCopyFailed') : ''}</span>
      </div>
      {preview && text !== undefined && (
        <details>
          <summary>{t('adminSeeInstructions')}</summary>
          <pre class="admin-text">{text}</pre>
        </details>
      )}
    </div>
  );
}
