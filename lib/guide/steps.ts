import type { CallTarget } from '../allo/call-link';
import type { AlloUserChoice } from '../calls/whose-calls';
import type { Status } from '../connection/status';
import type { MicrophoneState } from '../microphone/microphone-state';

export type GuideStepId = 'sellsy' | 'allo' | 'sync' | 'calls-open' | 'microphone' | 'whose-calls';

export interface GuideState {
  status: Status;
  callTarget: CallTarget;
  callTargetChosen: boolean;
  alloUser: AlloUserChoice | null;
  /** The extension's microphone permission; undefined until read. */
  microphone: MicrophoneState | undefined;
}

export interface GuideStep {
  id: GuideStepId;
  done: boolean;
}

/**
 * Where each step of the first-run guide stands, from the real state (types only: the guide page
 * bundles this file). The first step not done is the current one.
 */
export function guideSteps({ status, callTarget, callTargetChosen, alloUser, microphone }: GuideState): GuideStep[] {
  return [
    { id: 'sellsy', done: status.sellsy.state === 'connected' },
    { id: 'allo', done: status.allo.state === 'connected' },
    // The first sync is done once one pass has succeeded; later passes do not undo the step.
    { id: 'sync', done: status.sellsy.state === 'connected' && status.sync.lastSuccessAt !== undefined },
    { id: 'calls-open', done: callTargetChosen },
    // Only Allo's dialer in the side panel needs it (Chrome cannot ask there), so it is judged
    // once the user chose how calls open. A browser that cannot say (`unknown`) lets the dialer
    // ask for itself.
    { id: 'microphone', done: callTargetChosen && (callTarget !== 'allo-dialer' || microphone === 'granted' || microphone === 'unknown') },
    { id: 'whose-calls', done: status.allo.state === 'connected' && alloUser !== null },
  ];
}

export function currentStep(steps: GuideStep[]): GuideStepId | undefined {
  return steps.find((step) => !step.done)?.id;
}
