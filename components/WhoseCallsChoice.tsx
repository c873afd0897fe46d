import { useEffect, useState } from 'preact/hooks';
import { t } from '@/components/i18n';
import { useSetting } from '@/components/use-setting';
import { alloUserChoice, alloUserMiss } from '@/lib/calls/whose-calls';
import { sendMessage } from '@/lib/messaging';
import { ManagedNote } from './ManagedNote';
import { useManaged } from './use-managed';

/**
 * Whose Allo calls this browser logs (options page, first-run guide). When no Allo user has the
 * Sellsy e-mail, nothing is logged: that is said plainly, with the e-mail looked for, and the
 * person picks their name right here.
 */
export function WhoseCallsChoice({ onSaved }: { onSaved(): void }) {
  const [users, setUsers] = useState<Array<{ id: string; name: string; email?: string }>>();
  const [failed, setFailed] = useState(false);
  const [choice] = useSetting(alloUserChoice, () => undefined);
  const [miss] = useSetting(alloUserMiss, () => undefined);
  const locked = useManaged().matchAlloUserByEmail === true;
  useEffect(() => {
    sendMessage('listAlloUsers').then(setUsers, () => setFailed(true));
  }, []);
  const pick = async (id: string) => {
    const user = users?.find((u) => u.id === id) ?? null;
    await sendMessage('setAlloUser', { user });
    onSaved();
  };
  const unmatched = !choice && miss ? miss.email : undefined;
  return (
    <div class="setting">
      <label for="allo-user">{t('whoseCallsLabel')}</label>
      {unmatched && (
        <p class="warning" id="allo-user-unmatched" role="alert">
          {/* The policy locks the list: say who can fix it, not "choose your name". */}
          {t(locked ? 'whoseCallsNoMatchLocked' : 'whoseCallsNoMatch', unmatched)}
        </p>
      )}
      {failed ? (
        <p class="hint">{t('whoseCallsUnavailable')}</p>
      ) : (
        <select
          id="allo-user"
          value={choice?.how === 'picked' && !locked ? choice.id : ''}
          disabled={!users || locked}
          aria-describedby={unmatched ? 'allo-user-unmatched' : undefined}
          onChange={(e) => void pick(e.currentTarget.value)}
        >
          <option value="">
            {choice?.how === 'email' ? t('whoseCallsMatched', choice.name) : unmatched && !locked ? t('whoseCallsPickName') : t('whoseCallsByEmail')}
          </option>
          {(users ?? []).map((user) => (
            <option value={user.id}>{user.email ? `${user.name} <${user.email}>` : user.name}</option>
          ))}
        </select>
      )}
      {locked && <ManagedNote />}
      <p class="hint">{t('whoseCallsHelp')}</p>
    </div>
  );
}
