import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/components/i18n';
import { CALL_TARGETS, type CallTarget } from '@/lib/allo/call-link';
import { callTargetSetting, chooseCallTarget } from '@/lib/settings';
import { ManagedNote } from './ManagedNote';
import { useManaged } from './use-managed';

export const TARGET_KEYS: Record<CallTarget, MessageKey> = {
  'allo-dialer': 'targetAlloDialer',
  tel: 'targetTel',
  callto: 'targetCallto',
  'allo-web': 'targetAlloWeb',
};

/** One help per option, shown for the selected one only: two desktop options must not read the same. */
export const TARGET_HELP_KEYS: Record<CallTarget, MessageKey> = {
  'allo-dialer': 'targetDialerHelp',
  tel: 'targetHelp',
  callto: 'targetCalltoHelp',
  'allo-web': 'targetAlloWebHelp',
};

interface Props {
  id?: string;
  onSaved(): void;
  /**
   * Whether picking records that the user chose (options: yes). The guide passes false: there a
   * pick is chosen by "Keep this choice" or by a Try it that worked.
   */
  commit?: boolean;
}

/**
 * How a click on a number opens the call (options page, first-run guide). A chosen target is
 * never replaced by the dialer by itself once it has been seen ready.
 */
export function CallTargetChoice({ id = 'target', onSaved, commit = true }: Props) {
  const [target, setTarget] = useState<CallTarget>();
  const locked = useManaged().callTarget;
  useEffect(() => {
    void callTargetSetting.getValue().then(setTarget);
    return callTargetSetting.watch(setTarget);
  }, []);
  const pick = (value: CallTarget) => {
    setTarget(value);
    void (commit ? chooseCallTarget(value) : callTargetSetting.setValue(value)).then(onSaved);
  };
  const shown = locked ?? target;
  return (
    <div class="setting">
      <label for={id}>{t('targetLabel')}</label>
      <select id={id} value={shown} disabled={locked !== undefined} aria-describedby={`${id}-help`} onChange={(e) => pick(e.currentTarget.value as CallTarget)}>
        {CALL_TARGETS.map((value) => (
          <option value={value}>{t(TARGET_KEYS[value])}</option>
        ))}
      </select>
      {locked && <ManagedNote />}
      <p class="hint" id={`${id}-help`}>
        {shown ? t(TARGET_HELP_KEYS[shown]) : ''}
      </p>
    </div>
  );
}
