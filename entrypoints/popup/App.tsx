import { AlloConnection } from '@/components/AlloConnection';
import { CallLoggerOffer } from '@/components/CallLoggerOffer';
import { AppHostOffer } from '@/components/AppHostOffer';
import { ContactSync } from '@/components/ContactSync';
import { RecentCalls } from '@/components/RecentCalls';
import { t } from '@/components/i18n';
import { SellsyConnection } from '@/components/SellsyConnection';
import { useConnections } from '@/components/use-connections';
import { useSetting } from '@/components/use-setting';
import { useManaged } from '@/components/use-managed';
import { callLoggerSetting } from '@/lib/calls/call-logger';
import { chromeGuideTabs, GUIDE_PATH, openGuide } from '@/lib/guide/open-guide';

export function App() {
  const connections = useConnections();
  const { status, busy } = connections;
  const [logger] = useSetting(callLoggerSetting, () => undefined);
  const integrationLogs = (useManaged().callLogger ?? logger) === 'allo-integration';
  return (
    <main>
      <h1>{t('extName')}</h1>
      <AppHostOffer />
      {!status ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <>
          <SellsyConnection
            status={status.sellsy}
            busy={busy === 'sellsy'}
            error={connections.sellsyError}
            onConnect={() => void connections.connectSellsy()}
            onDisconnect={() => void connections.disconnectSellsy()}
          />
          {status.sellsy.state === 'connected' && <ContactSync status={status.sync} onSyncNow={() => void connections.syncNow()} />}
          <AlloConnection
            status={status.allo}
            busy={busy === 'allo'}
            error={connections.alloError}
            onSave={connections.saveAlloKey}
            onDisconnect={() => void connections.disconnectAllo()}
          />
          {integrationLogs ? (
            <p class="card hint">{t('callLoggerIntegrationNote')}</p>
          ) : (
            <>
              <CallLoggerOffer />
              {status.allo.state === 'connected' && <RecentCalls alloConnected />}
            </>
          )}
        </>
      )}
      <p>
        <button
          type="button"
          class="link"
          onClick={() => void openGuide(chromeGuideTabs(browser), browser.runtime.getURL(GUIDE_PATH)).then(() => window.close())}
        >
          {t('openGuide')}
        </button>
      </p>
    </main>
  );
}
