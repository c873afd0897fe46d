import { AlloConnection } from '@/components/AlloConnection';
import { CallTargetChoice, TARGET_KEYS } from '@/components/CallTargetChoice';
import { ContactSync } from '@/components/ContactSync';
import { GuideStep } from '@/components/guide/GuideStep';
import { TryCall } from '@/components/guide/TryCall';
import { useGuideSettings } from '@/components/guide/use-guide-state';
import { plural, t } from '@/components/i18n';
import { MicrophoneStep } from '@/components/MicrophoneStep';
import { useMicrophoneState } from '@/components/use-microphone';
import { SellsyApiAccess } from '@/components/SellsyApiAccess';
import { SellsyConnection } from '@/components/SellsyConnection';
import { useConnections } from '@/components/use-connections';
import { WhoseCallsChoice } from '@/components/WhoseCallsChoice';
import { currentStep, guideSteps } from '@/lib/guide/steps';
import { chooseCallTarget } from '@/lib/settings';

const noop = () => undefined;

export function App() {
  const connections = useConnections();
  const settings = useGuideSettings();
  const microphone = useMicrophoneState();
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
  return (
    <main>
      <h1>{t('guideTitle')}</h1>
      <p>{t('guideIntro')}</p>
      <p class={current ? '' : 'ok'} role="status" aria-live="polite">
        {current ? plural('guideProgress', count) : t('guideAllDone')}
      </p>
      <GuideStep
        id="step-sellsy"
        title="guideStepSellsy"
        done={done.sellsy === true}
        current={current === 'sellsy'}
        summary={status.sellsy.state === 'connected' ? t('guideStepSellsyDone', status.sellsy.staff.name) : t('guideStepSellsyWhat')}
      >
        <SellsyConnection
          status={status.sellsy}
          busy={busy === 'sellsy'}
          error={connections.sellsyError}
          onConnect={() => void connections.connectSellsy()}
          onDisconnect={() => void connections.disconnectSellsy()}
        />
        {status.sellsy.state !== 'connected' && (
          <details class="card" open={status.sellsy.state === 'unavailable'}>
            <summary>{t('apiAccessHeading')}</summary>
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
        summary={done['calls-open'] ? t('guideStepCallsOpenDone', t(TARGET_KEYS[settings.callTarget])) : t('guideStepCallsOpenWhat')}
      >
        <CallTargetChoice id="guide-target" onSaved={noop} />
        {!settings.callTargetChosen && (
          <div class="actions">
            <button type="button" onClick={() => void chooseCallTarget(settings.callTarget)}>
              {t('guideKeepTarget')}
            </button>
          </div>
        )}
        <TryCall target={settings.callTarget} />
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
        summary={done['whose-calls'] && settings.alloUser ? t('guideStepWhoseDone', settings.alloUser.name) : t('guideStepWhoseWhat')}
      >
        {status.allo.state === 'connected' && <WhoseCallsChoice onSaved={noop} />}
      </GuideStep>
    </main>
  );
}
