import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/min';
import { useMemo, useState } from 'preact/hooks';
import { CallLoggerChoice } from '@/components/CallLoggerChoice';
import { CallTargetChoice } from '@/components/CallTargetChoice';
import { Diagnostics } from '@/components/Diagnostics';
import { ManagedNote } from '@/components/ManagedNote';
import { SellsyApiAccess } from '@/components/SellsyApiAccess';
import { SellsyAppHosts } from '@/components/SellsyAppHosts';
import { useManaged } from '@/components/use-managed';
import { messagesLocale, t } from '@/components/i18n';
import { useSetting } from '@/components/use-setting';
import { WhoseCallsChoice } from '@/components/WhoseCallsChoice';
import { backfillDaysSetting, clampBackfillDays, createLeadsSetting, defaultCountrySetting, MAX_BACKFILL_DAYS } from '@/lib/settings';

export function App() {
  const [saved, setSaved] = useState(0);
  const confirm = () => setSaved((n) => n + 1);
  const [createLeads, setCreateLeads] = useSetting(createLeadsSetting, confirm);
  const [country, setCountry] = useSetting(defaultCountrySetting, confirm);
  const [backfill, setBackfill] = useSetting(backfillDaysSetting, confirm);
  // What the administrator set wins, shown locked.
  const managed = useManaged();
  const countries = useMemo(() => {
    // In the page's language, not the browser's: a French page lists « Allemagne ».
    const locale = messagesLocale();
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    return getCountries()
      .map((code) => ({ code, name: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
      .sort((a, b) => a.name.localeCompare(b.name, locale));
  }, []);

  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      <p class="saved" role="status" aria-live="polite">
        {saved > 0 ? t('settingsSaved') : ''}
      </p>

      <section class="card" aria-labelledby="api-access-heading">
        <h2 id="api-access-heading">{t('apiAccessHeading')}</h2>
        <SellsyApiAccess onSaved={confirm} />
      </section>

      <section class="card" aria-labelledby="app-hosts-heading">
        <h2 id="app-hosts-heading">{t('appHostsHeading')}</h2>
        <SellsyAppHosts />
      </section>

      <section class="card">
        <h2>{t('optionsCallsHeading')}</h2>
        <CallLoggerChoice onSaved={confirm} />
        <div class="setting">
          <input
            id="create-leads"
            type="checkbox"
            checked={managed.createLeads ?? createLeads === true}
            disabled={managed.createLeads !== undefined}
            onChange={(e) => setCreateLeads(e.currentTarget.checked)}
          />
          <label for="create-leads">{t('createLeads')}</label>
          {managed.createLeads !== undefined && <ManagedNote />}
          <p class="hint">{t('createLeadsHelp')}</p>
        </div>
        <div class="setting">
          <label for="backfill">{t('backfillLabel')}</label>
          <input
            id="backfill"
            type="number"
            min={0}
            max={MAX_BACKFILL_DAYS}
            value={managed.backfillDays ?? backfill ?? 0}
            disabled={managed.backfillDays !== undefined}
            onChange={(e) => setBackfill(clampBackfillDays(Number(e.currentTarget.value)))}
          />
          {managed.backfillDays !== undefined && <ManagedNote />}
          <p class="hint">{t('backfillHelp')}</p>
        </div>
        <WhoseCallsChoice onSaved={confirm} />
      </section>

      <section class="card">
        <h2>{t('optionsClickHeading')}</h2>
        <CallTargetChoice onSaved={confirm} />
        <div class="setting">
          <label for="country">{t('countryLabel')}</label>
          <select
            id="country"
            value={managed.defaultCountry ?? country}
            disabled={managed.defaultCountry !== undefined}
            onChange={(e) => setCountry(e.currentTarget.value as CountryCode)}
          >
            {countries.map(({ code, name }) => (
              <option value={code}>{name}</option>
            ))}
          </select>
          {managed.defaultCountry !== undefined && <ManagedNote />}
          <p class="hint">{t('countryHelp')}</p>
        </div>
      </section>

      <section class="card" aria-labelledby="diagnostics-heading">
        <h2 id="diagnostics-heading">{t('diagHeading')}</h2>
        <Diagnostics />
      </section>
    </main>
  );
}
