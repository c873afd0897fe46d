import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { recordLinksView } from '@/lib/app-hosts/record-links';
import { sellsyRecordUrl } from '@/lib/sellsy/record-url';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('record links under a hostile review (issue 24)', () => {
  it('keeps the app address of a synced value whose paths are of another shape (another device, another version)', async () => {
    await fakeBrowser.storage.sync.set({ sellsyRecordLinks: { appUrl: 'https://eu.sellsy.com', paths: null } });
    const view = await recordLinksView('https://www.sellsy.com', {});
    expect(view.effective.appUrl).toBe('https://eu.sellsy.com');
  });

  it.each([
    { appUrl: 'javascript:alert(1)', paths: { contact: 'peoples/{id}' } },
    { appUrl: 'https://evil.example@eu.sellsy.com', paths: { contact: 'peoples/{id}' } },
    { appUrl: 'https://eu.sellsy.com', paths: { contact: '//evil.example/{id}' } },
    { appUrl: 'https://eu.sellsy.com', paths: { contact: '../../{id}' } },
    { appUrl: 'https://eu.sellsy.com', paths: { contact: '\\\\evil.example/{id}' } },
    { appUrl: 'https://eu.sellsy.com', paths: { contact: 'https://evil.example/{id}' } },
    { appUrl: 'https://eu.sellsy.com', paths: { contact: '%2F%2Fevil.example/{id}' } },
  ])('never builds a link off the app’s origin from a synced value: %o', async (stored) => {
    await fakeBrowser.storage.sync.set({ sellsyRecordLinks: stored });
    const links = (await recordLinksView('https://www.sellsy.com', {})).effective;
    const url = new URL(sellsyRecordUrl(links, { kind: 'contact', sellsyId: 12 }));
    expect(url.protocol).toBe('https:');
    expect(['www.sellsy.com', 'eu.sellsy.com']).toContain(url.host);
  });
});
