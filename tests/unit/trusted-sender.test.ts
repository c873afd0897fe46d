import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '@/lib/trusted-sender';

const ID = 'mmckljamldhefiejejlhbcojnndnfpon';
const MATCHES = ['https://*.sellsy.com/*'];
const tab = { id: 1 };

describe('isTrustedSender', () => {
  it('accepts our own pages and our content script on Sellsy', () => {
    expect(isTrustedSender({ id: ID, url: `chrome-extension://${ID}/popup.html` }, ID, MATCHES)).toBe(true);
    expect(isTrustedSender({ id: ID, url: 'https://go.sellsy.com/contacts/1', tab }, ID, MATCHES)).toBe(true);
  });

  it('refuses other extensions, other sites and senders without a tab', () => {
    expect(isTrustedSender({ id: 'other', url: 'https://go.sellsy.com/', tab }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'https://evil.example/', tab }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'https://go.sellsy.com/' }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID, url: `chrome-extension://other/popup.html` }, ID, MATCHES)).toBe(false);
  });
});
