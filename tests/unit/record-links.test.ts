/**
 * Where record links point when Sellsy's app is not where the build says: the user's setting,
 * the administrator's policy, part by part over the build's address and Sellsy's paths.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { recordLinksView, setUserRecordLinks } from '@/lib/app-hosts/record-links';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import { parseManagedSettings } from '@/lib/policy/managed-settings';
import { DEFAULT_RECORD_PATHS, sellsyRecordUrl } from '@/lib/sellsy/record-url';

const BUILD = 'https://www.sellsy.com';

beforeEach(() => fakeBrowser.reset());

describe('record links', () => {
  it('are the build’s address and Sellsy’s paths until someone changes them', async () => {
    const view = await recordLinksView(BUILD, {});
    expect(view.effective).toEqual({ appUrl: BUILD, paths: DEFAULT_RECORD_PATHS });
    expect(view.managed).toEqual({ appUrl: false, paths: [] });
  });

  it('follow what the user set, and go back to the default when a field is emptied', async () => {
    expect(await setUserRecordLinks({ appUrl: ' https://eu.sellsy.com/ ', paths: { contact: 'contacts/{id}', client: '' } })).toEqual({ ok: true });
    const { effective } = await recordLinksView(BUILD, {});
    expect(sellsyRecordUrl(effective, { kind: 'contact', sellsyId: 12 })).toBe('https://eu.sellsy.com/contacts/12');
    expect(sellsyRecordUrl(effective, { kind: 'company', sellsyId: 7 })).toBe('https://eu.sellsy.com/thirds/client/7');
    await setUserRecordLinks({ appUrl: '', paths: {} });
    expect((await recordLinksView(BUILD, {})).effective).toEqual({ appUrl: BUILD, paths: DEFAULT_RECORD_PATHS });
  });

  it('refuse an address that is not https Sellsy-like, or a path that could leave the app, and keep what was saved', async () => {
    await setUserRecordLinks({ appUrl: 'https://eu.sellsy.com', paths: {} });
    expect(await setUserRecordLinks({ appUrl: 'http://eu.sellsy.com', paths: {} })).toEqual({ ok: false, reason: 'app-url' });
    expect(await setUserRecordLinks({ appUrl: 'https://help.sellsy.com', paths: {} })).toEqual({ ok: false, reason: 'app-url' });
    expect(await setUserRecordLinks({ appUrl: '', paths: { prospect: '//evil.example/{id}' } })).toEqual({ ok: false, reason: 'prospect' });
    expect((await recordLinksView(BUILD, {})).effective.appUrl).toBe('https://eu.sellsy.com');
  });

  it('take the policy’s parts first, and lock only those', async () => {
    await setUserRecordLinks({ appUrl: 'https://eu.sellsy.com', paths: { contact: 'mine/{id}', individual: 'people/{id}' } });
    const managed = parseManagedSettings({
      sellsyAppUrl: 'https://crm.sellsy.fr',
      sellsyRecordPaths: { contact: 'directory/contacts/{id}', client: '../{id}' },
    });
    const view = await recordLinksView(BUILD, managed);
    expect(view.effective).toEqual({
      appUrl: 'https://crm.sellsy.fr',
      paths: { ...DEFAULT_RECORD_PATHS, contact: 'directory/contacts/{id}', individual: 'people/{id}' },
    });
    // The mistyped client path is left out; the others still apply.
    expect(view.managed).toEqual({ appUrl: true, paths: ['contact'] });
  });

  it('skip a stored part that no longer fits (hand-edited, or an older version’s), keeping the rest', async () => {
    await fakeBrowser.storage.sync.set({
      sellsyRecordLinks: { appUrl: 'javascript:alert(1)', paths: { contact: 'contacts/{id}', client: 42, prospect: 'https://evil.example/{id}' } },
    });
    const { effective, user } = await recordLinksView(BUILD, {});
    expect(user).toEqual({ paths: { contact: 'contacts/{id}' } });
    expect(effective.appUrl).toBe(BUILD);
    await fakeBrowser.storage.sync.set({ sellsyRecordLinks: 'eu.sellsy.com' });
    expect((await recordLinksView(BUILD, {})).effective).toEqual({ appUrl: BUILD, paths: DEFAULT_RECORD_PATHS });
  });
});

describe('the record “Test a link” opens', () => {
  it('is a cached record of the kind asked, a company of the type asked, live when one is at hand', async () => {
    const cache = new RecordCache(openCacheDb('record-links-sample'));
    const base = { phones: ['+33612345678'], rawPhones: [], updated: '' };
    await cache.put({ ...base, key: 'company:1', kind: 'company', sellsyId: 1, name: 'Old', companyType: 'prospect', archived: true });
    await cache.put({ ...base, key: 'company:2', kind: 'company', sellsyId: 2, name: 'Acme', companyType: 'client' });
    await cache.put({ ...base, key: 'company:3', kind: 'company', sellsyId: 3, name: 'Lead', companyType: 'prospect' });
    expect((await cache.sample('company', 'prospect'))?.sellsyId).toBe(3);
    expect((await cache.sample('company', 'client'))?.sellsyId).toBe(2);
    expect(await cache.sample('individual')).toBeUndefined();
  });
});
