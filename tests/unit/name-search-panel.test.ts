/**
 * The side panel's search box: what is typed asks the background once the typing pauses, each
 * record found shows its numbers as buttons, and the keyboard alone calls: Enter the first number,
 * Arrow Down through the numbers. A number goes where a click in Sellsy would (callFromPanel).
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { NameSearch } from '@/components/NameSearch';
import { callFromPanel } from '@/lib/dialer/call-from-panel';
import { onMessage } from '@/lib/messaging';
import type { FoundRecord } from '@/lib/search/search-records';

const DUPONT: FoundRecord = {
  key: 'contact:1',
  kind: 'contact',
  name: 'Marie Dupont',
  companyName: 'Néolis',
  url: 'https://www.sellsy.com/peoples/1',
  phones: ['+33612345678', '+33144556600'],
};
const DUPUIS: FoundRecord = {
  key: 'individual:2',
  kind: 'individual',
  name: 'Marc Dupuis',
  url: 'https://www.sellsy.com/individuals/2',
  phones: ['+33698765432'],
};

let stops: Array<() => void> = [];
let queries: string[];

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  queries = [];
  stops = [
    onMessage('searchRecords', ({ data }) => {
      queries.push(data.query);
      return { records: data.query.startsWith('dup') ? [DUPUIS, DUPONT] : [] };
    }),
  ];
});

afterEach(() => {
  for (const stop of stops) stop();
  document.body.replaceChildren();
});

function panel(focusSignal?: number) {
  const called: string[] = [];
  const opened: string[] = [];
  const root = document.createElement('div');
  document.body.append(root);
  render(h(NameSearch, { country: 'FR', call: (e164: string) => called.push(e164), openRecord: (url: string) => opened.push(url), focusSignal }), root);
  const box = root.querySelector<HTMLInputElement>('input[type=search]')!;
  const type = (text: string) => {
    box.value = text;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const key = (target: Element, k: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  const buttons = () => [...root.querySelectorAll<HTMLButtonElement>('button.call-number')];
  return { root, box, type, key, buttons, called, opened };
}

describe('the side panel’s search by name', () => {
  it('asks once the typing pauses, and lists each record with its numbers as buttons', async () => {
    const p = panel();
    p.type('d');
    p.type('du');
    p.type('dup mar');
    await expect.poll(() => p.buttons().length).toBe(3);
    expect(queries).toEqual(['dup mar']);
    expect(p.root.textContent).toContain('Marie Dupont · Néolis');
    expect(p.buttons().map((b) => b.textContent)).toEqual(['06 98 76 54 32', '06 12 34 56 78', '01 44 55 66 00']);
    expect(p.buttons()[1]?.getAttribute('aria-label')).toBe('searchCallNumber 06 12 34 56 78 Marie Dupont');
    expect(p.root.textContent).toContain('searchFound_other 2');
  });

  it('calls with the keyboard alone: Enter the first number, Arrow Down then Enter on a button another', async () => {
    const p = panel();
    p.type('dup');
    await expect.poll(() => p.buttons().length).toBe(3);
    p.key(p.box, 'Enter');
    expect(p.called).toEqual(['+33698765432']);
    p.key(p.box, 'ArrowDown');
    expect(document.activeElement).toBe(p.buttons()[0]);
    p.key(p.buttons()[0]!, 'ArrowDown');
    expect(document.activeElement).toBe(p.buttons()[1]);
    p.buttons()[1]!.click();
    expect(p.called).toEqual(['+33698765432', '+33612345678']);
    p.key(p.buttons()[1]!, 'ArrowUp');
    p.key(p.buttons()[0]!, 'ArrowUp');
    expect(document.activeElement).toBe(p.box);
    p.key(p.box, 'Escape');
    await expect.poll(() => p.buttons().length).toBe(0);
    expect(p.box.value).toBe('');
  });

  it('says when nobody has the name, calls nothing on Enter, and takes the focus when the shortcut asks', async () => {
    const p = panel(Date.now());
    await expect.poll(() => document.activeElement).toBe(p.box);
    p.type('zzz');
    await expect.poll(() => p.root.textContent).toContain('searchNone');
    p.key(p.box, 'Enter');
    expect(p.called).toEqual([]);
  });

  it('says the search failed rather than showing nothing', async () => {
    for (const stop of stops) stop();
    stops = [
      onMessage('searchRecords', () => {
        throw new Error('worker gone');
      }),
    ];
    const p = panel();
    p.type('dup');
    await expect.poll(() => p.root.textContent).toContain('searchFailed');
  });
});

describe('callFromPanel', () => {
  it('hands the number to the dialer beside it, and to tel: when the dialer cannot take it', () => {
    const followed: string[] = [];
    const doc = document;
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      followed.push(this.href);
    };
    try {
      const here: string[] = [];
      callFromPanel('+33612345678', 'allo-dialer', { doc, openWebApp: async () => undefined, dialHere: (e164) => here.push(e164) });
      expect(here).toEqual(['+33612345678']);
      expect(followed).toEqual([]);
      callFromPanel('+33612345678', 'allo-dialer', { doc, openWebApp: async () => undefined, dialHere: (_e164, fallBack) => fallBack() });
      callFromPanel('+33612345678', 'callto', { doc, openWebApp: async () => undefined, dialHere: () => here.push('never') });
      expect(followed).toEqual(['tel:+33612345678', 'callto:+33612345678']);
      expect(here).toEqual(['+33612345678']);
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
  });
});
