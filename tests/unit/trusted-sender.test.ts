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

  // Sellsy's editors and dialogs write into frames at about:blank (or srcdoc): the content script
  // runs there too (matchAboutBlank), and Chrome gives the frame's URL as is, with its real
  // origin, inherited from the page that made it, in `sender.origin`.
  it('accepts our content script in an about:blank or srcdoc frame that a Sellsy page made', () => {
    for (const url of ['about:blank', 'about:srcdoc', 'about:blank#x']) {
      expect(isTrustedSender({ id: ID, url, origin: 'https://go.sellsy.com', tab }, ID, MATCHES)).toBe(true);
    }
  });

  it('refuses an about:blank frame of another site, an opaque (sandboxed) one, or one with no origin', () => {
    expect(isTrustedSender({ id: ID, url: 'about:blank', origin: 'https://evil.example', tab }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'about:blank', origin: 'https://go.sellsy.com.evil.example', tab }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'about:blank', origin: 'null', tab }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'about:blank', tab }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'about:blank', origin: 'https://go.sellsy.com' }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: 'other', url: 'about:blank', origin: 'https://go.sellsy.com', tab }, ID, MATCHES)).toBe(false);
  });

  // Review 3, seen in Chromium: Chrome runs the content script on https://www.sellsy.com./ (its
  // match patterns ignore a host's trailing dot), so the page had call buttons whose every click
  // the background refused (tel: instead of the dialer), and no names.
  it('judges an address with a trailing dot as Chrome does when it runs the script there', () => {
    const APP = ['https://www.sellsy.com/*'];
    expect(isTrustedSender({ id: ID, url: 'https://www.sellsy.com./peoples/12', tab }, ID, APP)).toBe(true);
    expect(isTrustedSender({ id: ID, url: 'about:blank', origin: 'https://www.sellsy.com.', tab }, ID, APP)).toBe(true);
    // Nothing more than Chrome's own matching: one dot, on a host that matches without it.
    expect(isTrustedSender({ id: ID, url: 'https://www.sellsy.com../', tab }, ID, APP)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'https://evil.example./', tab }, ID, APP)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'https://www.sellsy.com.evil.example./', tab }, ID, APP)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'http://www.sellsy.com./', tab }, ID, APP)).toBe(false);
  });

  it('judges a page by its URL, not by an origin that would contradict it', () => {
    expect(isTrustedSender({ id: ID, url: 'https://evil.example/', origin: 'https://go.sellsy.com', tab }, ID, MATCHES)).toBe(false);
    expect(isTrustedSender({ id: ID, url: 'about:config', origin: 'https://go.sellsy.com', tab }, ID, MATCHES)).toBe(false);
  });
});
