import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_CALL_TARGET, type CallTarget } from '@/lib/allo/call-link';
import { alloUserChoice, type AlloUserChoice } from '@/lib/calls/whose-calls';
import { callTargetChosenSetting, callTargetSetting } from '@/lib/settings';

export interface GuideSettings {
  callTarget: CallTarget;
  callTargetChosen: boolean;
  alloUser: AlloUserChoice | null;
}

/** The settings the guide's steps 4 and 5 are judged on, kept in step with storage. */
export function useGuideSettings(): GuideSettings {
  const [callTarget, setCallTarget] = useState<CallTarget>(DEFAULT_CALL_TARGET);
  const [callTargetChosen, setChosen] = useState(false);
  const [alloUser, setAlloUser] = useState<AlloUserChoice | null>(null);
  useEffect(() => {
    void callTargetSetting.getValue().then(setCallTarget);
    void callTargetChosenSetting.getValue().then(setChosen);
    void alloUserChoice.getValue().then(setAlloUser);
    const stops = [callTargetSetting.watch(setCallTarget), callTargetChosenSetting.watch(setChosen), alloUserChoice.watch(setAlloUser)];
    return () => {
      for (const stop of stops) stop();
    };
  }, []);
  return { callTarget, callTargetChosen, alloUser };
}
