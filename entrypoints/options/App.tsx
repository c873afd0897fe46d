import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/min';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { AdminInstructions } from '@/components/AdminInstructions';
import { BackfillChoice } from '@/components/BackfillChoice';
import { CallLoggerChoice } from '@/components/CallLoggerChoice';
import { CallTargetChoice } from '@/components/CallTargetChoice';
import { Diagnostics } from '@/components/Diagnostics';
import { DisconnectServices } from '@/components/DisconnectServices';
import { ManagedNote } from '@/components/ManagedNote';
import { SellsyApiAccess } from '@/components/SellsyApiAccess';
import { SellsyAppHosts } from '@/components/SellsyAppHosts';
import { useManaged } from '@/components/use-managed';
import { messagesLocale, t } from '@/components/i18n';
import { useConnections } from '@/components/use-connections';
import { useSetting } from '@/components/use-setting';
import { WhoseCallsChoice } from '@/components/WhoseCallsChoice';
import { createLeadsSetting, defaultCountrySetting, missedCallNotificationsSetting } from '@/lib/settings';

export function App() {
  const [saved, setSaved] = useState(0);
  const confirm = () => setSaved((n) => n + 1);
  const [createLeads, setCreateLeads] = useSetting(createLeadsSetting, confirm);
  const [country, setCountry] = useSetting(defaultCountrySetting, confirm);
  const [missedCalls, setMissedCalls] = useSetting(missedCallNotificationsSetting, confirm);
  // What the administrator set wins, shown locked.
  const managed = useManaged();
  const connections = useConnections({ verify: false });
  const countries = useMemo(() => {
    // In the page's language, not the browser's: a French page lists « Allemagne ».
    const locale = messagesLocale();
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    return getCountries()
      .map((code) => ({ code, name: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
      .sort((a, b) => a.name.localeCompare(b.name, locale));
  }, []);

  // A link to one setting (the popup's "Contact not found" → #create-leads): the page is drawn
  // after the browser looked for the anchor, so it is brought into view here.
  useEffect(() => {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
  }, []);

  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      <p class="saved" role="status" aria-live="polite">
        {saved > 0 ? t('settingsSaved') : ''}
      </p>

      <section class="card">
        <h2>{t('optionsCallsHeading')}</h2>
        <CallLoggerChoice onSaved={confirm} />
        <div class="setting">
          <input
            id="create-leads"
            type="checkbox"
            checked={managed.createLeads ?? createLeads === true}
            disabled={managed.createLeads !== undefined}
            aria-describedby="create-leads-help"
            onChange={(e) => setCreateLeads(e.currentTarget.checked)}
          />
          <label for="create-leads">{t('createLeads')}</label>
          <p class="hint" id="create-leads-help">
            {t('createLeadsHelp')}
          </p>
          {managed.createLeads !== undefined && <ManagedNote />}
        </div>
        <BackfillChoice onSaved={confirm} />
        <WhoseCallsChoice onSaved={confirm} />
        <div class="setting">
          <input
            id="missed-calls"
            type="checkbox"
            checked={managed.missedCallNotifications ?? missedCalls !== false}
            disabled={managed.missedCallNotifications !== undefined}
            aria-describedby="missed-calls-help"
            onChange={(e) => setMissedCalls(e.currentTarget.checked)}
          />
          <label for="missed-calls">{t('missedCallsSetting')}</label>
          <p class="hint" id="missed-calls-help">
            {t('missedCallsSettingHelp')}
          </p>
          {managed.missedCallNotifications !== undefined && <ManagedNote />}
        </div>
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

      <section class="card" aria-labelledby="app-hosts-heading">
        <h2 id="app-hosts-heading">{t('appHostsHeading')}</h2>
        <SellsyAppHosts />
      </section>

      {/* The popup folds its cards into one line when all is well: disconnecting lives here. */}
      <DisconnectServices connections={connections} />

      <section class="card" aria-labelledby="diagnostics-heading">
        <h2 id="diagnostics-heading">{t('diagHeading')}</h2>
        <Diagnostics />
      </section>
      <section class="card" aria-labelledby="admin-heading">
        <h2 id="admin-heading">{t('optionsAdminHeading')}</h2>
        <p class="hint">{t('optionsAdminIntro')}</p>
        <h3 id="api-access-heading">{t('apiAccessHeading')}</h3>
        <SellsyApiAccess onSaved={confirm} />
        <h3>{t('optionsPolicyHeading')}</h3>
        <p class="hint">{t('optionsPolicyRollout')}</p>
        <AdminInstructions preview />
      </section>
    </main>
  );
}
