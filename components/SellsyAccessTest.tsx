import { useState } from 'preact/hooks';
import type { SellsyAccessTest as TestResult } from '@/lib/connection/sellsy-access-test';
import { sendMessage } from '@/lib/messaging';
import { sellsyErrorText } from './error-text';
import { t } from './i18n';

/** "Test the connection": one real request to Sellsy with the API access in use, and what it means. */
export function SellsyAccessTest() {
  const [result, setResult] = useState<TestResult>();
  const [busy, setBusy] = useState(false);
  const test = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      setResult(await sendMessage('testSellsyAccess'));
    } catch (error) {
      setResult({ outcome: 'failed', error: { code: 'network', message: String(error) } });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="setting access-test">
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void test()}>
          {t('apiTest')}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {busy && <p>{t('apiTesting')}</p>}
        {result && <TestResultText result={result} />}
      </div>
    </div>
  );
}

function TestResultText({ result }: { result: TestResult }) {
  switch (result.outcome) {
    case 'connected':
      return <p class="ok">{t('apiTestConnected', result.name)}</p>;
    case 'client-known':
      return <p class="ok">{t('apiTestKnown')}</p>;
    case 'no-client':
      return <p class="warning">{t('apiTestNoClient')}</p>;
    case 'failed':
      return <p class="error">{t('apiTestFailed', sellsyErrorText(result.error))}</p>;
  }
}
