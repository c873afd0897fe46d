import { describe, expect, it } from 'vitest';
import { buildCallLink, isCallTarget } from '@/lib/allo/call-link';
import { formatNumber } from '@/lib/phone/format-number';
import { parseTelHref } from '@/lib/phone/tel-href';

describe('buildCallLink', () => {
  it('makes a system call link by default target', () => {
    expect(buildCallLink('+33612345678', 'tel')).toEqual({ url: 'tel:+33612345678' });
    expect(buildCallLink('+33123456789', 'tel', '214')).toEqual({ url: 'tel:+33123456789;ext=214' });
    expect(buildCallLink('+33612345678', 'callto')).toEqual({ url: 'callto:+33612345678' });
  });

  it('opens Allo’s web app with the number on the clipboard', () => {
    expect(buildCallLink('+33612345678', 'allo-web')).toEqual({
      url: 'https://web.withallo.com/',
      copyToClipboard: '+33612345678',
    });
  });

  it('recognises only known targets', () => {
    expect(isCallTarget('tel')).toBe(true);
    expect(isCallTarget('skype')).toBe(false);
    expect(isCallTarget(undefined)).toBe(false);
  });
});

describe('parseTelHref', () => {
  it.each([
    ['tel:+33612345678', { e164: '+33612345678' }],
    ['tel:0612345678', { e164: '+33612345678' }],
    ['tel:06%2012%2034%2056%2078', { e164: '+33612345678' }],
    ['tel:+33-1-23-45-67-89;ext=214', { e164: '+33123456789', extension: '214' }],
    ['TEL:+1 (415) 555-0100', { e164: '+14155550100' }],
    ['callto://+33612345678', { e164: '+33612345678' }],
    ['tel:', undefined],
    ['tel:12', undefined],
    ['tel:%E0%A4%A', undefined],
    ['mailto:a@b.fr', undefined],
  ])('%s', (href, expected) => {
    expect(parseTelHref(href)).toEqual(expected);
  });
});

describe('formatNumber', () => {
  it('writes numbers of the default country nationally, others internationally', () => {
    expect(formatNumber('+33612345678')).toBe('06 12 34 56 78');
    expect(formatNumber('+442079460958')).toBe('+44 20 7946 0958');
    expect(formatNumber('+3225111234', 'BE')).toBe('02 511 12 34');
    expect(formatNumber('not a number')).toBe('not a number');
  });
});
