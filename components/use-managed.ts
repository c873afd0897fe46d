import { useEffect, useState } from 'preact/hooks';
import { type ManagedSettings, readManagedSettings, watchManagedSettings } from '@/lib/policy/managed-settings';

/** What the administrator set by policy (secrets included only as "set": pages never show them). */
export function useManaged(): ManagedSettings {
  const [managed, setManaged] = useState<ManagedSettings>({});
  useEffect(() => {
    const read = () => void readManagedSettings().then(setManaged);
    read();
    return watchManagedSettings(read);
  }, []);
  return managed;
}
