import { AlloConnection } from '@/components/AlloConnection';
import { AppHostOffer } from '@/components/AppHostOffer';
import { CallLoggerOffer } from '@/components/CallLoggerOffer';
import { ConnectionsSummary } from '@/components/ConnectionsSummary';
import { ContactSync } from '@/components/ContactSync';
import { t } from '@/components/i18n';
import { PollRhythmNote } from '@/components/PollRhythmNote';
import { RecentCalls } from '@/components/RecentCalls';
import { SellsyAccessNeeded } from '@/components/SellsyAccessNeeded';
import { SellsyConnection } from '@/components/SellsyConnection';
import { useConnections } from '@/components/use-connections';
import { useManaged } from '@/components/use-managed';
import { useSetting } from '@/components/use-setting';
import { callLoggerSetting } from '@/lib/calls/call-logger';
import { allWell } from '@/lib/connection/all-well';
import { chromeGuideTabs, GUIDE_PATH, openGuide } from '@/lib/guide/open-guide';

const openSetupGuide = () => void openGuide(chromeGuideTabs(browser), browser.runtime.getURL(GUIDE_PATH)).then(() => window.close());
const openSettings = () => void browser.runtime.openOptionsPage().then(() => window.close());

export function App() {
  const connections = useConnections();
  const { status, busy } = connections;
  const [setting] = useSetting(callLoggerSetting, () => undefined);
  const managedLogger = useManaged().callLogger;
  const logger = managedLogger ?? setting ?? 'extension';
  const integrationLogs = logger === 'allo-integration';
  // All well: one status line instead of three cards, so the calls fit in Chrome's 600 px.
  const summary = status ? allWell(status) : null;
  const rhythm = status?.allo.state === 'connected' ? <PollRhythmNote rhythm={status.allo.rhythm} logger={logger} /> : null;
  return (
    <main>
      <h1>{t('extName')}</h1>
      <AppHostOffer />
      {!status ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <>
          {summary ? (
            <ConnectionsSummary summary={summary}>{rhythm}</ConnectionsSummary>
          ) : (
            <>
              {status.sellsy.state === 'unavailable' ? (
                <SellsyAccessNeeded onOpenSetup={openSetupGuide} />
              ) : (
                <SellsyConnection
                  status={status.sellsy}
                  busy={busy === 'sellsy'}
                  error={connections.sellsyError}
                  onConnect={() => void connections.connectSellsy()}
                  onDisconnect={() => void connections.disconnectSellsy()}
                />
              )}
              {status.sellsy.state === 'connected' && <ContactSync status={status.sync} onSyncNow={() => void connections.syncNow()} />}
              <AlloConnection
                status={status.allo}
                busy={busy === 'allo'}
                error={connections.alloError}
                onSave={connections.saveAlloKey}
                onDisconnect={() => void connections.disconnectAllo()}
              >
                {rhythm}
              </AlloConnection>
            </>
          )}
          {integrationLogs ? (
            <p class="card hint">{t(managedLogger ? 'integrationLogsByPolicy' : 'callLoggerIntegrationNote')}</p>
          ) : (
            <>
              <CallLoggerOffer />
              {status.allo.state === 'connected' && <RecentCalls alloConnected sellsyConnected={status.sellsy.state === 'connected'} />}
            </>
          )}
        </>
      )}
      <p class="popup-links">
        {summary && (
          <button type="button" class="link" disabled={status?.sync.running} onClick={() => void connections.syncNow()}>
            {t('syncNow')}
          </button>
        )}
        <button type="button" class="link" onClick={openSettings}>
          {t('popupSettings')}
        </button>
        <button type="button" class="link" onClick={openSetupGuide}>
          {t('openGuide')}
        </button>
      </p>
    </main>
  );
}
