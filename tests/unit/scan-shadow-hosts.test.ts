import { afterEach, describe, expect, it } from 'vitest';
import { initClickToCall } from '@/lib/dom/init-click-to-call';
import { mayHostShadowRoot } from '@/lib/dom/skip-rules';

// The walk asks for a shadow root only where `attachShadow` can have put one: a host it
// wrongly ruled out would hide every number inside it.

let controller: AbortController | undefined;
afterEach(() => {
  controller?.abort();
  document.body.innerHTML = '';
});

describe('which elements the walk asks for a shadow root', () => {
  it('asks custom elements and every element the DOM standard lets host one, in either case', () => {
    for (const tag of [
      'article',
      'aside',
      'blockquote',
      'body',
      'div',
      'footer',
      'h1',
      'h6',
      'header',
      'main',
      'nav',
      'p',
      'section',
      'span',
      'x-card',
      'sellsy-phone-field',
    ]) {
      expect(mayHostShadowRoot(tag), tag).toBe(true);
      expect(mayHostShadowRoot(tag.toUpperCase()), tag).toBe(true);
    }
  });

  it('does not ask table cells, rows, links or list items, which never have one', () => {
    for (const tag of ['TD', 'TR', 'TBODY', 'TABLE', 'A', 'LI', 'UL', 'LABEL', 'IMG']) expect(mayHostShadowRoot(tag), tag).toBe(false);
  });

  it.each(['x-phone-card', 'section', 'span', 'article'])('links a number in the open shadow root of a <%s> present at the first scan', async (tag) => {
    const host = document.createElement(tag);
    host.attachShadow({ mode: 'open' }).innerHTML = '<span>07 68 42 19 05</span>';
    document.body.append(host);
    controller = new AbortController();
    const clickToCall = initClickToCall({ signal: controller.signal, defaultCountry: () => 'FR', title: () => 'Call with Allo', onCall: () => undefined });
    await clickToCall.idle();
    // The shadow root's own scan is queued by the first one.
    await clickToCall.idle();
    expect(host.shadowRoot!.querySelector('span')!.getAttribute('data-allo-number')).toBe('+33768421905');
  });
});
