import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_CALL_TARGET, type CallTarget } from '@/lib/allo/call-link';
import { alloUserChoice, alloUserMiss, type AlloUserChoice } from '@/lib/calls/whose-calls';
import { callTargetChosenSetting, callTargetSetting } from '@/lib/settings';
import { useManaged } from '../use-managed';

export interface GuideSettings {
  /** How calls open, the administrator's value first (as `withManaged` reads it everywhere else). */
  callTarget: CallTarget;
  /** The person chose how calls open, or the administrator's policy did: nothing left to choose. */
  callTargetChosen: boolean;
  /** The policy sets how calls open: the person cannot change it. */
  callTargetLocked: boolean;
  alloUser: AlloUserChoice | null;
  /** The Sellsy e-mail no Allo user had, when that is why no calls are logged. */
  unmatchedEmail: string | undefined;
}

/** The settings the guide's steps 4 to 6 are judged on, kept in step with storage. */
export function useGuideSettings(): GuideSettings {
  const [callTarget, setCallTarget] = useState<CallTarget>(DEFAULT_CALL_TARGET);
  const [callTargetChosen, setChosen] = useState(false);
  const [alloUser, setAlloUser] = useState<AlloUserChoice | null>(null);
  const [miss, setMiss] = useState<{ email: string } | null>(null);
  const locked = useManaged().callTarget;
  useEffect(() => {
    void callTargetSetting.getValue().then(setCallTarget);
    void callTargetChosenSetting.getValue().then(setChosen);
    void alloUserChoice.getValue().then(setAlloUser);
    void alloUserMiss.getValue().then(setMiss);
    const stops = [
      callTargetSetting.watch(setCallTarget),
      callTargetChosenSetting.watch(setChosen),
      alloUserChoice.watch(setAlloUser),
      alloUserMiss.watch(setMiss),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, []);
  return {
    callTarget: locked ?? callTarget,
    callTargetChosen: locked !== undefined || callTargetChosen,
    callTargetLocked: locked !== undefined,
    alloUser,
    unmatchedEmail: alloUser ? undefined : miss?.email,
  };
}
