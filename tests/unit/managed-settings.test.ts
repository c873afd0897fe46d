import { describe, expect, it, vi } from 'vitest';
import { parseManagedSettings } from '@/lib/policy/managed-settings';

describe('the administrator’s policy', () => {
  it('keeps every value that fits', () => {
    expect(
      parseManagedSettings({
        sellsyClientId: ' acme-admin-5e1c ',
        alloApiKey: 'key',
        createLeads: false,
        callTarget: 'allo-dialer',
        defaultCountry: 'BE',
        backfillDays: 0,
        matchAlloUserByEmail: true,
      }),
    ).toEqual({
      sellsyClientId: 'acme-admin-5e1c',
      alloApiKey: 'key',
      createLeads: false,
      callTarget: 'allo-dialer',
      defaultCountry: 'BE',
      backfillDays: 0,
      matchAlloUserByEmail: true,
    });
  });

  it('leaves out a value that does not fit, says so, and keeps the others', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(
      parseManagedSettings({ callTarget: 'skype', defaultCountry: 'XX', backfillDays: 31, createLeads: 'yes', alloApiKey: '  ', sellsyClientId: 'ok-1234' }),
    ).toEqual({ sellsyClientId: 'ok-1234' });
    expect(warn).toHaveBeenCalledTimes(5);
    warn.mockRestore();
  });

  it('is empty without a policy', () => {
    expect(parseManagedSettings(undefined)).toEqual({});
    expect(parseManagedSettings('text')).toEqual({});
  });

  it('keeps the app hosts and app address that the host rules allow, and only those', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(
      parseManagedSettings({
        sellsyAppHosts: ['eu.sellsy.com', 'https://EU.sellsy.com/', 'http://old.sellsy.fr', 'go.sellsy.com', 'crm.acme-gestion.fr'],
        sellsyAppUrl: 'https://eu.sellsy.com/app/',
      }),
    ).toEqual({ sellsyAppHosts: ['eu.sellsy.com', 'crm.acme-gestion.fr'], sellsyAppUrl: 'https://eu.sellsy.com/app' });
    expect(warn).toHaveBeenCalledTimes(2);
    for (const sellsyAppUrl of ['http://eu.sellsy.com', 'https://go.sellsy.com', 'https://eu.sellsy.com/?x=1', 'eu.sellsy.com']) {
      expect(parseManagedSettings({ sellsyAppUrl })).toEqual({});
    }
    expect(parseManagedSettings({ sellsyAppHosts: 'eu.sellsy.com' })).toEqual({});
  });
});
