import { describe, expect, it } from 'vitest';
import { sellsyRecordUrl } from '@/lib/sellsy/record-url';

const APP = 'https://www.sellsy.com';

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
    expect(sellsyRecordUrl('https://www.sellsy.fr', { kind: 'individual', sellsyId: 9 })).toBe('https://www.sellsy.fr/individuals/9');
  });
});
