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

/**
 * How a click on a number opens the call (options page, first-run guide). Picking one records
 * that the user chose, so the dialer never replaces it by itself once it has been seen ready.
 */
export function CallTargetChoice({ id = 'target', onSaved }: { id?: string; onSaved(): void }) {
  const [target, setTarget] = useState<CallTarget>();
  const locked = useManaged().callTarget;
  useEffect(() => {
    void callTargetSetting.getValue().then(setTarget);
    return callTargetSetting.watch(setTarget);
  }, []);
  const pick = (value: CallTarget) => {
    setTarget(value);
    void chooseCallTarget(value).then(onSaved);
  };
  return (
    <div class="setting">
      <label for={id}>{t('targetLabel')}</label>
      <select id={id} value={locked ?? target} disabled={locked !== undefined} onChange={(e) => pick(e.currentTarget.value as CallTarget)}>
        {CALL_TARGETS.map((value) => (
          <option value={value}>{t(TARGET_KEYS[value])}</option>
        ))}
      </select>
      {locked && <ManagedNote />}
      <p class="hint">{t('targetHelp')}</p>
      <p class="hint">{t('targetDialerHelp')}</p>
    </div>
  );
}
