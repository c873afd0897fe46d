import { useEffect, useState } from 'preact/hooks';
import { browser } from '#imports';
import { AdminInstructions } from '@/components/AdminInstructions';
import { AlloConnection } from '@/components/AlloConnection';
import { BackfillChoice } from '@/components/BackfillChoice';
import { CallTargetChoice, TARGET_KEYS } from '@/components/CallTargetChoice';
import { ContactSync } from '@/components/ContactSync';
import { GuideStep } from '@/components/guide/GuideStep';
import { TryCall, type TryOutcome } from '@/components/guide/TryCall';
import { useGuideSettings } from '@/components/guide/use-guide-state';
import { plural, t } from '@/components/i18n';
import { MicrophoneStep } from '@/components/MicrophoneStep';
import { useMicrophoneState } from '@/components/use-microphone';
import { SellsyApiAccess } from '@/components/SellsyApiAccess';
import { SellsyAppHosts } from '@/components/SellsyAppHosts';
import { SellsyConnection } from '@/components/SellsyConnection';
import { useConnections } from '@/components/use-connections';
import { WhoseCallsChoice } from '@/components/WhoseCallsChoice';
import { currentStep, guideSteps } from '@/lib/guide/steps';
import { sendMessage } from '@/lib/messaging';
import { chooseCallTarget } from '@/lib/settings';

const noop = () => undefined;

export function App() {
  const connections = useConnections();
  const settings = useGuideSettings();
  const microphone = useMicrophoneState();
  const [tried, setTried] = useState<TryOutcome>();
  const { status, busy } = connections;
  if (!status)
    return (
      <main>
        <h1>{t('guideTitle')}</h1>
        <p role="status">{t('loading')}</p>
      </main>
    );
  const steps = guideSteps({ status, ...settings, microphone });
  const done = Object.fromEntries(steps.map((step) => [step.id, step.done]));
  const current = currentStep(steps);
  const count = steps.filter((step) => step.done).length;
  // A try that reached Allo (or that only the person can judge) settles how calls open; the
  // administrator's target is theirs, never copied into the person's own choice.
  const onTried = (outcome: TryOutcome) => {
    setTried(outcome);
    if (outcome !== 'fell-back' && !settings.callTargetLocked) void chooseCallTarget(settings.callTarget);
  };
  const target = t(TARGET_KEYS[settings.callTarget]);
  const sellsyUnavailable = status.sellsy.state === 'unavailable';
  return (
    <main>
      <h1>{t('guideTitle')}</h1>
      <p>{t('guideIntro')}</p>
      <p role="status" aria-live="polite">
        {plural('guideProgress', count)}
      </p>
      <GuideStep
        id="step-sellsy"
        title="guideStepSellsy"
        done={done.sellsy === true}
        current={current === 'sellsy'}
        summary={status.sellsy.state === 'connected' ? t('guideStepSellsyDone', status.sellsy.staff.name) : t('guideStepSellsyWhat')}
      >
        {sellsyUnavailable ? (
          // No API access yet: the form is on this page, so nothing sends the person elsewhere.
          <>
            <p class="warning">{t('guideSellsyNeedsAdmin')}</p>
            <AdminInstructions preview />
          </>
        ) : (
          <SellsyConnection
            status={status.sellsy}
            busy={busy === 'sellsy'}
            error={connections.sellsyError}
            onConnect={() => void connections.connectSellsy()}
            onDisconnect={() => void connections.disconnectSellsy()}
          />
        )}
        {status.sellsy.state !== 'connected' && (
          <details class="card" open={sellsyUnavailable}>
            <summary>{t('guideApiAccessForAdmins')}</summary>
            <SellsyApiAccess onSaved={() => void connections.reload()} />
          </details>
        )}
      </GuideStep>
      <GuideStep
        id="step-allo"
        title="guideStepAllo"
        done={done.allo === true}
        current={current === 'allo'}
        summary={done.allo ? t('guideStepAlloDone') : t('guideStepAlloWhat')}
      >
        <BackfillChoice onSaved={noop} />
        <AlloConnection
          status={status.allo}
          busy={busy === 'allo'}
          error={connections.alloError}
          onSave={connections.saveAlloKey}
          onDisconnect={() => void connections.disconnectAllo()}
        />
      </GuideStep>
      <GuideStep
        id="step-sync"
        title="guideStepSync"
        done={done.sync === true}
        current={current === 'sync'}
        summary={done.sync ? plural('guideStepSyncDone', status.sync.cached ?? 0) : t('guideStepSyncWhat')}
      >
        {status.sellsy.state === 'connected' && <ContactSync status={status.sync} onSyncNow={() => void connections.syncNow()} />}
      </GuideStep>
      <GuideStep
        id="step-calls-open"
        title="guideStepCallsOpen"
        done={done['calls-open'] === true}
        current={current === 'calls-open'}
        summary={
          done['calls-open']
            ? [
                settings.callTargetLocked ? t('guideStepCallsOpenManaged', target) : t('guideStepCallsOpenDone', target),
                tried === 'handed-over' ? t(settings.callTargetLocked ? 'guideTryItCheckManaged' : 'guideTryItCheck') : '',
              ]
                .join(' ')
                .trim()
            : t('guideStepCallsOpenWhat')
        }
      >
        <CallTargetChoice id="guide-target" onSaved={noop} commit={false} />
        {/* Set by the administrator: nothing to keep, the step is done as it is. */}
        {!settings.callTargetChosen && (
          <div class="actions">
            <button type="button" onClick={() => void chooseCallTarget(settings.callTarget)}>
              {t('guideKeepTarget')}
            </button>
          </div>
        )}
        <TryCall target={settings.callTarget} locked={settings.callTargetLocked} onTried={onTried} />
        {/* Numbers are linked only where the extension runs: a Sellsy at another address is added here, as in the options. */}
        <details class="other-address">
          <summary>{t('guideOtherAddress')}</summary>
          <SellsyAppHosts />
        </details>
      </GuideStep>
      <GuideStep
        id="step-microphone"
        title="guideStepMicrophone"
        done={done.microphone === true}
        current={current === 'microphone'}
        summary={
          !done.microphone
            ? t('guideStepMicrophoneWhat')
            : settings.callTarget === 'allo-dialer'
              ? t('guideStepMicrophoneDone')
              : t('guideStepMicrophoneNotNeeded')
        }
      >
        {settings.callTarget === 'allo-dialer' && <MicrophoneStep state={microphone} />}
      </GuideStep>
      <GuideStep
        id="step-whose-calls"
        title="guideStepWhose"
        done={done['whose-calls'] === true}
        current={current === 'whose-calls'}
        summary={
          done['whose-calls'] && settings.alloUser
            ? t('guideStepWhoseDone', settings.alloUser.name)
            : settings.unmatchedEmail && status.allo.state === 'connected'
              ? t('guideStepWhoseNoMatch')
              : t('guideStepWhoseWhat')
        }
      >
        {status.allo.state === 'connected' && <WhoseCallsChoice onSaved={noop} />}
      </GuideStep>
      {!current && <AllSet />}
    </main>
  );
}

/** The guide's end: what to do now, and the way there. */
function AllSet() {
  const [appUrl, setAppUrl] = useState<string>();
  useEffect(() => {
    void sendMessage('getRecordLinks').then((links) => setAppUrl(links.effective.appUrl));
  }, []);
  return (
    <section class="card" aria-labelledby="all-set">
      <p id="all-set" class="ok">
        {t('guideAllDone')}
      </p>
      <div class="actions">
        <button type="button" class="primary" disabled={!appUrl} onClick={() => appUrl && void browser.tabs.create({ url: appUrl })}>
          {t('guideOpenSellsy')}
        </button>
      </div>
    </section>
  );
}
