import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORD_PATHS, isRecordPath, sellsyRecordUrl } from '@/lib/sellsy/record-url';

const APP = { appUrl: 'https://www.sellsy.com', paths: DEFAULT_RECORD_PATHS };

describe('sellsyRecordUrl', () => {
  it('links a contact to its page under /peoples', () => {
    expect(sellsyRecordUrl(APP, { kind: 'contact', sellsyId: 42 })).toBe('https://www.sellsy.com/peoples/42');
  });

  it('links a prospect company under /thirds/prospect and any other company under /thirds/client', () => {
    expect(sellsyRecordUrl(APP, { kind: 'company', sellsyId: 7, companyType: 'prospect' })).toBe('https://www.sellsy.com/thirds/prospect/7');
    expect(sellsyRecordUrl(APP, { kind: 'company', sellsyId: 7, companyType: 'client' })).toBe('https://www.sellsy.com/thirds/client/7');
    expect(sellsyRecordUrl(APP, { kind: 'company', sellsyId: 7, companyType: 'supplier' })).toBe('https://www.sellsy.com/thirds/client/7');
  });

  it('links a company of unknown type (cached before the type was kept) as a client', () => {
    expect(sellsyRecordUrl(APP, { kind: 'company', sellsyId: 8 })).toBe('https://www.sellsy.com/thirds/client/8');
  });

  it('links an individual under /individuals, on the configured app host', () => {
    expect(sellsyRecordUrl({ ...APP, appUrl: 'https://www.sellsy.fr' }, { kind: 'individual', sellsyId: 9 })).toBe('https://www.sellsy.fr/individuals/9');
  });

  it('follows the paths a team set, each with the id where `{id}` stands', () => {
    const links = {
      appUrl: 'https://app.example-crm.fr',
      paths: { ...DEFAULT_RECORD_PATHS, contact: 'crm/contacts/{id}/overview', prospect: 'companies/{id}?tab=prospect' },
    };
    expect(sellsyRecordUrl(links, { kind: 'contact', sellsyId: 42 })).toBe('https://app.example-crm.fr/crm/contacts/42/overview');
    expect(sellsyRecordUrl(links, { kind: 'company', sellsyId: 7, companyType: 'prospect' })).toBe('https://app.example-crm.fr/companies/7?tab=prospect');
  });
});

describe('a record path typed by a person or set by policy', () => {
  it('is taken when it is a path of the app with {id} once', () => {
    for (const path of ['peoples/{id}', 'thirds/prospect/{id}', 'crm/contacts/{id}/overview', '{id}', 'companies/{id}?tab=main'])
      expect(isRecordPath(path), path).toBe(true);
  });

  it('is refused when it could leave the app, has no {id} or two, or holds what a URL path cannot', () => {
    for (const path of [
      '',
      'peoples',
      'peoples/{id}/{id}',
      '/peoples/{id}',
      '//evil.example/{id}',
      'https://evil.example/{id}',
      '../{id}',
      'a/../../{id}',
      'peoples/{id}#x',
      'peoples/{id} ',
      'peoples/<b>{id}',
      'javascript:{id}',
      `${'a'.repeat(200)}{id}`,
    ])
      expect(isRecordPath(path), path).toBe(false);
  });
});
