import { afterEach, describe, expect, it, vi } from 'vitest';
import { launchCall } from '@/lib/allo/launch-call';
import { showNotice } from '@/lib/dom/show-notice';

afterEach(() => {
  vi.useRealTimers();
});

describe('launchCall', () => {
  it('follows a tel: link in a hidden frame that goes away afterwards, never in the page', () => {
    vi.useFakeTimers();
    // happy-dom logs that it does not load frames (harmless here; Chromium does, tests/e2e).
    const followed: Array<{ href: string; target: string }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push({ href: this.href, target: this.target });
    });
    launchCall({ e164: '+33123456789', extension: '214' }, 'tel', { doc: document, openWebApp: vi.fn() });
    const frame = document.querySelector('iframe')!;
    expect(frame.hidden).toBe(true);
    expect(followed).toEqual([{ href: 'tel:+33123456789;ext=214', target: frame.name }]);
    vi.advanceTimersByTime(2_000);
    expect(document.querySelector('iframe')).toBeNull();
  });

  it('opens Allo’s web app and puts the number on the clipboard, saying which happened', async () => {
    const openWebApp = vi.fn(() => Promise.resolve());
    const notify = vi.fn();
    const writeClipboard = vi.fn(() => Promise.reject(new Error('Document is not focused')));
    launchCall({ e164: '+33612345678' }, 'allo-web', { doc: document, openWebApp, writeClipboard, notify });
    expect(writeClipboard).toHaveBeenCalledWith('+33612345678');
    // A refused clipboard does not stop the web app from opening.
    expect(openWebApp).toHaveBeenCalledOnce();
    expect(document.querySelector('iframe')).toBeNull();
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith(false));

    const copied = vi.fn();
    launchCall({ e164: '+33612345678' }, 'allo-web', { doc: document, openWebApp, writeClipboard: async () => undefined, notify: copied });
    await vi.waitFor(() => expect(copied).toHaveBeenCalledWith(true));
  });

  it('hands the number to the dialer, and follows tel: only when the dialer cannot take it', async () => {
    const followed: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push(this.href);
    });
    const notifyFallback = vi.fn();
    const opened = vi.fn(async () => 'opened' as const);
    launchCall({ e164: '+33612345678' }, 'allo-dialer', { doc: document, openWebApp: vi.fn(), openDialer: opened, notifyFallback });
    await vi.waitFor(() => expect(opened).toHaveBeenCalledOnce());
    await Promise.resolve();
    expect(followed).toEqual([]);
    expect(notifyFallback).not.toHaveBeenCalled();

    launchCall({ e164: '+33612345678' }, 'allo-dialer', { doc: document, openWebApp: vi.fn(), openDialer: async () => 'fallback', notifyFallback });
    await vi.waitFor(() => expect(followed).toEqual(['tel:+33612345678']));
    expect(notifyFallback).toHaveBeenCalledOnce();

    // The background did not answer (refused, worker gone): the click still calls.
    launchCall({ e164: '+33612345678' }, 'allo-dialer', {
      doc: document,
      openWebApp: vi.fn(),
      openDialer: () => Promise.reject(new Error('gone')),
      notifyFallback,
    });
    await vi.waitFor(() => expect(followed).toHaveLength(2));
    expect(notifyFallback).toHaveBeenCalledTimes(2);
  });

  it('shows a short notice out of the page’s reach, then takes it away', () => {
    vi.useFakeTimers();
    showNotice(document, 'Copied');
    const host = document.querySelector('allo-for-sellsy-notice');
    expect(host).not.toBeNull();
    expect(host!.shadowRoot).toBeNull();
    vi.advanceTimersByTime(4_000);
    expect(document.querySelector('allo-for-sellsy-notice')).toBeNull();
  });
});
