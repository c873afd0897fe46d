import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initClickToCall, type ClickToCall, type ClickToCallOptions } from '@/lib/dom/init-click-to-call';
import type { TelTarget } from '@/lib/phone/tel-href';

let controller: AbortController;
let calls: TelTarget[];
let clickToCall: ClickToCall;

function start(html: string, options: Partial<ClickToCallOptions> = {}): void {
  document.body.innerHTML = html;
  controller = new AbortController();
  calls = [];
  clickToCall = initClickToCall({
    signal: controller.signal,
    defaultCountry: () => 'FR',
    title: () => 'Call with Allo',
    onCall: (target) => calls.push(target),
    ...options,
  });
}

async function settle(): Promise<void> {
  // Mutation records first (microtasks), then the frame-batched scan they queued.
  await Promise.resolve();
  await clickToCall.idle();
}

/**
 * The event as the user's own input makes it (happy-dom marks none trusted): only those may
 * call or look a number up, since any script on the page can dispatch the others.
 */
function trusted<E extends Event>(event: E, isTrusted = true): E {
  Object.defineProperty(event, 'isTrusted', { value: isTrusted });
  return event;
}

const linked = () => [...document.querySelectorAll('[data-allo-number]')].map((el) => el.getAttribute('data-allo-number'));

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  controller.abort();
});

describe('linking', () => {
  it('decorates an element that shows only a number, without adding or moving nodes', async () => {
    start('<p>Mobile <span id="n">06 12 34 56 78</span></p>');
    const text = document.getElementById('n')!.firstChild;
    await settle();
    const span = document.getElementById('n')!;
    expect(span.getAttribute('data-allo-number')).toBe('+33612345678');
    expect(span.getAttribute('role')).toBe('link');
    expect(span.getAttribute('tabindex')).toBe('0');
    expect(span.getAttribute('title')).toBe('Call with Allo');
    expect(span.childNodes).toHaveLength(1);
    expect(span.firstChild).toBe(text);
  });

  it('links a number inside longer text beside the page’s text node, which keeps the text before it', async () => {
    start('<table><tbody><tr><td id="cell">Standard : 04 72 10 20 30 (accueil)</td></tr></tbody></table>');
    const cell = document.getElementById('cell')!;
    const pageText = cell.firstChild as Text;
    await settle();
    expect(cell.textContent).toBe('Standard : 04 72 10 20 30 (accueil)');
    expect(cell.firstChild).toBe(pageText);
    expect(pageText.data).toBe('Standard : ');
    const link = cell.querySelector('a')!;
    expect(link.textContent).toBe('04 72 10 20 30');
    expect(link.getAttribute('data-allo-number')).toBe('+33472102030');
    expect(cell.getAttribute('role')).toBeNull();
  });

  it('links every number of a text, and keeps extensions', async () => {
    start('<p>Tél : 01 23 45 67 89 poste 214 ou 06 12 34 56 78.</p>');
    await settle();
    expect(linked()).toEqual(['+33123456789', '+33612345678']);
    expect(document.querySelector('[data-allo-extension]')?.getAttribute('data-allo-extension')).toBe('214');
    expect(document.body.textContent).toBe('Tél : 01 23 45 67 89 poste 214 ou 06 12 34 56 78.');
  });

  it('takes over an existing tel: link in place, by its href', async () => {
    start('<a id="l" href="tel:0145678901">Appeler</a><a href="tel:nothing">Appeler</a>');
    await settle();
    const link = document.getElementById('l')!;
    expect(link.getAttribute('data-allo-number')).toBe('+33145678901');
    expect(link.getAttribute('href')).toBe('tel:0145678901');
    expect(link.getAttribute('role')).toBeNull();
    expect(linked()).toEqual(['+33145678901']);
  });

  it.each([
    ['an input', '<input value="06 12 34 56 78">'],
    ['a textarea', '<textarea>06 12 34 56 78</textarea>'],
    ['a select', '<select><option>06 12 34 56 78</option></select>'],
    ['an editable area', '<div contenteditable="true"><p>06 12 34 56 78</p></div>'],
    ['an editable area (empty attribute)', '<div contenteditable><b>06 12 34 56 78</b></div>'],
    ['a script', '<script type="text/plain">06 12 34 56 78</script>'],
    ['a style', '<style>/* 06 12 34 56 78 */</style>'],
    ['code', '<code>06 12 34 56 78</code>'],
    ['pre', '<pre>06 12 34 56 78</pre>'],
    ['SVG text', '<svg><text>06 12 34 56 78</text></svg>'],
    ['a link elsewhere that shows more than a number', '<a href="/peoples/42">Marie Dupont 06 12 34 56 78</a>'],
    ['a link elsewhere inside an editor', '<div contenteditable="true"><a href="/peoples/42">06 12 34 56 78</a></div>'],
    ['a button', '<button>06 12 34 56 78</button>'],
    ['a date, an amount, a SIRET', '<p>12/03/2024 — 1 234 567,89 € — 123 456 789 00012</p>'],
  ])('leaves %s alone', async (_what, html) => {
    start(html);
    await settle();
    expect(linked()).toEqual([]);
    expect(document.body.innerHTML).toBe(html.replace('<div contenteditable>', '<div contenteditable="">'));
  });

  it('links numbers inside open shadow roots', async () => {
    start('<div id="host"></div>');
    await settle();
    const host = document.getElementById('host')!;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<span>07 68 42 19 05</span>';
    // A shadow root is found when its host is (re)scanned.
    host.replaceWith(host);
    document.body.append(host);
    await settle();
    expect(shadow.querySelector('span')!.getAttribute('data-allo-number')).toBe('+33768421905');
  });
});

describe('a number that is the text of a link to something else', () => {
  const sellsyField =
    '<div format="phone" data-bot="phone-field"><span class="data-value"><a id="l" class="black-link" href="#">+33 5 46 84 99 99</a></span></div>';

  it('gets a call button right after the link, never inside it, and the link stays the page’s', async () => {
    start(sellsyField, { buttonLabel: ({ e164 }) => `Call ${e164}` });
    const link = document.getElementById('l')!;
    const before = link.outerHTML;
    await settle();
    expect(link.outerHTML).toBe(before);
    const button = link.nextElementSibling as HTMLButtonElement;
    expect(button.tagName).toBe('BUTTON');
    expect(button.type).toBe('button');
    expect(button.getAttribute('data-allo-number')).toBe('+33546849999');
    expect(button.getAttribute('aria-label')).toBe('Call +33546849999');
    expect(link.querySelector('button, a, [data-allo-number]')).toBeNull();
    expect(linked()).toEqual(['+33546849999']);
  });

  it('calls from the button; a click on the link itself is the page’s', async () => {
    start(`<div id="row">${sellsyField}</div>`);
    await settle();
    const link = document.getElementById('l')!;
    const rowClick = vi.fn();
    document.getElementById('row')!.addEventListener('click', rowClick);
    const onLink = trusted(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    link.dispatchEvent(onLink);
    expect(calls).toEqual([]);
    expect(onLink.defaultPrevented).toBe(false);
    expect(rowClick).toHaveBeenCalledTimes(1);
    const onButton = trusted(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    link.nextElementSibling!.dispatchEvent(onButton);
    expect(calls).toEqual([{ e164: '+33546849999' }]);
    expect(onButton.defaultPrevented).toBe(true);
    expect(rowClick).toHaveBeenCalledTimes(1);
  });

  it('calls once for a double-click on the button: its second click is swallowed, not a second call', async () => {
    start(`<div id="row">${sellsyField}</div>`);
    await settle();
    const rowClick = vi.fn();
    document.getElementById('row')!.addEventListener('click', rowClick);
    const button = document.getElementById('l')!.nextElementSibling!;
    const clicks = [1, 2].map((detail) => trusted(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, detail })));
    for (const click of clicks) button.dispatchEvent(click);
    expect(calls).toEqual([{ e164: '+33546849999' }]);
    expect(clicks.map((click) => click.defaultPrevented)).toEqual([true, true]);
    expect(rowClick).not.toHaveBeenCalled();
  });

  it('leaves Enter on the button to the browser, which clicks it: one call, not two', async () => {
    start(sellsyField);
    await settle();
    const button = document.getElementById('l')!.nextElementSibling!;
    const enter = trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    button.dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(false);
    expect(calls).toEqual([]);
  });

  it('follows the link’s text, and takes the button away when the link goes or becomes a tel: link', async () => {
    start(sellsyField);
    await settle();
    const link = document.getElementById('l')!;
    link.firstChild!.nodeValue = '06 12 34 56 78';
    await settle();
    expect(linked()).toEqual(['+33612345678']);
    link.firstChild!.nodeValue = 'Marie Dupont';
    await settle();
    expect(document.querySelector('button')).toBeNull();
    link.firstChild!.nodeValue = '06 12 34 56 78';
    await settle();
    expect(document.querySelectorAll('button')).toHaveLength(1);
    link.setAttribute('href', 'tel:+33612345678');
    await settle();
    expect(document.querySelector('button')).toBeNull();
    expect(link.getAttribute('data-allo-number')).toBe('+33612345678');
    link.setAttribute('href', '#');
    await settle();
    expect(link.hasAttribute('data-allo-number')).toBe(false);
    expect(document.querySelectorAll('button[data-allo-number]')).toHaveLength(1);
    link.remove();
    await settle();
    expect(document.querySelector('button')).toBeNull();
  });

  it('takes the button away when the link loses its href: the number, now plain text, is linked in place once', async () => {
    start(sellsyField);
    await settle();
    const link = document.getElementById('l')!;
    link.removeAttribute('href');
    await settle();
    expect(document.querySelector('button')).toBeNull();
    expect(link.getAttribute('data-allo-number')).toBe('+33546849999');
    expect(linked()).toEqual(['+33546849999']);
  });

  describe('moved by a keyed renderer, as Vue 2 moves nodes', () => {
    const numbers = { a: '+33546849999', b: '+33612345678', c: '+33123456789' };
    const phones = (keys: Array<keyof typeof numbers>) =>
      `<span id="phones">${keys.map((key) => `<a id="${key}" href="#">${numbers[key].replace('+33', '0')}</a>`).join('')}</span>`;
    /** Each link of the page, and what the button right after it calls (null: no button). */
    const beside = () =>
      [...document.querySelectorAll('#phones > a')].map((link) => {
        const next = link.nextElementSibling;
        return [link.id, next?.tagName === 'BUTTON' ? next.getAttribute('data-allo-number') : null];
      });
    const clickBesideEach = () => {
      calls = [];
      for (const link of document.querySelectorAll('#phones > a')) {
        link.nextElementSibling?.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })));
      }
      return calls.map((call) => call.e164);
    };

    it('keeps each button beside its own number when A moves after B (insertBefore(A, B.nextSibling))', async () => {
      start(phones(['a', 'b']));
      await settle();
      const parent = document.getElementById('phones')!;
      const [a, b] = [document.getElementById('a')!, document.getElementById('b')!];
      // updateChildren, old [A, B], new [B, A]: oldStart matches newEnd.
      parent.insertBefore(a, b.nextSibling);
      await settle();
      expect(beside()).toEqual([
        ['b', numbers.b],
        ['a', numbers.a],
      ]);
      expect(clickBesideEach()).toEqual([numbers.b, numbers.a]);
      expect(document.querySelectorAll('button')).toHaveLength(2);
    });

    it('keeps each button beside its own number through a reversal and a move to the front', async () => {
      start(phones(['a', 'b', 'c']));
      await settle();
      const parent = document.getElementById('phones')!;
      const [a, b, c] = (['a', 'b', 'c'] as const).map((id) => document.getElementById(id)!) as [HTMLElement, HTMLElement, HTMLElement];
      // old [A, B, C], new [C, B, A]: A goes after C (oldStart = newEnd), then C before B
      // (oldEnd = newStart), in one patch, before any observer callback.
      parent.insertBefore(a, c.nextSibling);
      parent.insertBefore(c, b);
      await settle();
      expect(beside()).toEqual([
        ['c', numbers.c],
        ['b', numbers.b],
        ['a', numbers.a],
      ]);
      expect(clickBesideEach()).toEqual([numbers.c, numbers.b, numbers.a]);
      expect(document.querySelectorAll('button')).toHaveLength(3);
    });
  });

  it('takes its buttons away when the extension goes away', async () => {
    const html = `<section>${sellsyField}</section>`;
    start(html);
    await settle();
    expect(document.querySelectorAll('button')).toHaveLength(1);
    controller.abort();
    expect(document.body.innerHTML).toBe(html);
  });
});

describe('a single-page app changing the page', () => {
  it('links rows added later', async () => {
    start('<table><tbody id="rows"></tbody></table>');
    await settle();
    const rows = document.getElementById('rows')!;
    for (let i = 0; i < 3; i++) {
      const tr = document.createElement('tr');
      tr.innerHTML = `<td><span>06 12 34 56 7${i}</span></td>`;
      rows.append(tr);
    }
    await settle();
    expect(linked()).toEqual(['+33612345670', '+33612345671', '+33612345672']);
  });

  it('makes no duplicate link when the page moves or re-inserts a row', async () => {
    start('<ul id="list"><li id="a">Tél : 06 12 34 56 78</li><li id="b">Tél : 01 23 45 67 89</li></ul>');
    await settle();
    const list = document.getElementById('list')!;
    list.append(document.getElementById('a')!);
    list.insertBefore(document.getElementById('a')!, document.getElementById('b')!);
    await settle();
    expect(linked()).toEqual(['+33612345678', '+33123456789']);
    expect(list.textContent).toBe('Tél : 06 12 34 56 78Tél : 01 23 45 67 89');
  });

  it('follows a renderer that updates its own text nodes in place', async () => {
    start('<span id="s">06 12 34 56 78</span><div id="m">Tél : 06 12 34 56 78 (bureau)</div>');
    const spanText = document.getElementById('s')!.firstChild as Text;
    const mixedText = document.getElementById('m')!.firstChild as Text;
    await settle();

    spanText.nodeValue = '07 68 42 19 05';
    mixedText.nodeValue = 'Tél : 07 68 42 19 05 (bureau)';
    await Promise.resolve();
    // Before any frame: what is shown and what a click calls already agree.
    expect(document.getElementById('s')!.getAttribute('data-allo-number')).toBe('+33768421905');
    expect(document.getElementById('m')!.textContent).toBe('Tél : 07 68 42 19 05 (bureau)');
    expect(document.querySelector('#m a')!.getAttribute('data-allo-number')).toBe('+33768421905');

    spanText.nodeValue = 'Non renseigné';
    mixedText.nodeValue = 'Tél : non renseigné';
    await settle();
    expect(linked()).toEqual([]);
    expect(document.getElementById('s')!.hasAttribute('role')).toBe(false);
    expect(document.getElementById('m')!.textContent).toBe('Tél : non renseigné');
  });

  it('lets a renderer remove the text nodes it remembers, and leaves nothing behind', async () => {
    start('<span id="s">06 12 34 56 78</span><div id="m">Tél : 06 12 34 56 78 (bureau)</div>');
    const span = document.getElementById('s')!;
    const mixed = document.getElementById('m')!;
    const spanText = span.firstChild as Text;
    const mixedText = mixed.firstChild as Text;
    await settle();
    expect(() => span.removeChild(spanText)).not.toThrow();
    expect(() => mixed.removeChild(mixedText)).not.toThrow();
    await settle();
    expect(mixed.textContent).toBe('');
    expect(span.hasAttribute('data-allo-number')).toBe(false);
    expect(linked()).toEqual([]);
  });

  it('puts the page back as it was when the extension goes away', async () => {
    const html = '<p><span>06 12 34 56 78</span> Tél : 01 23 45 67 89 <a href="tel:0145678901" title="x">A</a></p>';
    start(html);
    await settle();
    expect(linked()).toHaveLength(3);
    controller.abort();
    expect(document.body.innerHTML).toBe(html);
    document.body.insertAdjacentHTML('beforeend', '<span>07 68 42 19 05</span>');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(linked()).toEqual([]);
  });
});

describe('calling', () => {
  it('calls the number on click, and the row around it never hears of the click', async () => {
    start('<table><tbody><tr id="row"><td><span id="n">06 12 34 56 78</span></td></tr></tbody></table>');
    await settle();
    const rowClick = vi.fn();
    document.getElementById('row')!.addEventListener('click', rowClick);
    const click = trusted(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, button: 0 }));
    document.getElementById('n')!.dispatchEvent(click);
    expect(calls).toEqual([{ e164: '+33612345678' }]);
    expect(click.defaultPrevented).toBe(true);
    expect(rowClick).not.toHaveBeenCalled();
  });

  it('calls with Enter from the keyboard', async () => {
    start('<span id="n">01 23 45 67 89 poste 214</span>');
    await settle();
    document.getElementById('n')!.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
    expect(calls).toEqual([{ e164: '+33123456789', extension: '214' }]);
  });

  it('calls what is shown at the moment of the click', async () => {
    start('<span id="n">06 12 34 56 78</span>');
    await settle();
    const span = document.getElementById('n')!;
    span.firstChild!.nodeValue = '07 68 42 19 05';
    span.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })));
    expect(calls).toEqual([{ e164: '+33768421905' }]);
  });

  it('does not call when the user is selecting the number to copy it', async () => {
    start('<span id="n">06 12 34 56 78</span>');
    await settle();
    const span = document.getElementById('n')!;
    const range = document.createRange();
    range.selectNodeContents(span);
    document.getSelection()!.addRange(range);
    span.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })));
    expect(calls).toEqual([]);
    document.getSelection()!.removeAllRanges();
  });

  it('ignores elements the page marked itself', async () => {
    start('<span id="n" data-allo-number="+33612345678">not ours</span>');
    await settle();
    document.getElementById('n')!.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, button: 0 })));
    expect(calls).toEqual([]);
  });

  it('ignores a click or an Enter that a page script made up', async () => {
    start('<table><tbody><tr id="row"><td><span id="n">06 12 34 56 78</span></td></tr></tbody></table>');
    await settle();
    const rowClick = vi.fn();
    document.getElementById('row')!.addEventListener('click', rowClick);
    const span = document.getElementById('n')!;
    const click = trusted(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }), false);
    span.dispatchEvent(click);
    span.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }), false));
    expect(calls).toEqual([]);
    // Not ours to stop either: the page sees its own event as it made it.
    expect(click.defaultPrevented).toBe(false);
    expect(rowClick).toHaveBeenCalledOnce();

    span.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 })));
    span.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
    expect(calls).toEqual([{ e164: '+33612345678' }, { e164: '+33612345678' }]);
  });
});

describe('saying who will be called', () => {
  let clock: number;
  let asked: string[];

  function startDescribed(html: string): void {
    clock = 0;
    asked = [];
    start(html, {
      now: () => clock,
      describe: async ({ e164 }) => {
        asked.push(e164);
        return `Call Marie Dupont (${e164})`;
      },
    });
  }

  const hover = (el: Element, isTrusted = true) => el.dispatchEvent(trusted(new PointerEvent('pointerover', { bubbles: true }), isTrusted));
  const focus = (el: Element, isTrusted = true) => el.dispatchEvent(trusted(new FocusEvent('focusin', { bubbles: true }), isTrusted));
  const pressTab = (isTrusted = true) => document.body.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }), isTrusted));

  it('asks when the pointer reaches a number, and puts the answer in its tooltip', async () => {
    startDescribed('<span id="n">06 12 34 56 78</span>');
    await settle();
    const span = document.getElementById('n')!;
    hover(span);
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toEqual(['+33612345678']);
    expect(span.getAttribute('title')).toBe('Call Marie Dupont (+33612345678)');
  });

  it('never asks for a hover or a focus a page script made up', async () => {
    startDescribed('<span id="a">06 12 34 56 78</span><span id="b">07 68 42 19 05</span>');
    await settle();
    const [a, b] = [document.getElementById('a')!, document.getElementById('b')!];
    hover(a, false);
    focus(a, false);
    pressTab(false);
    focus(b, false);
    await Promise.resolve();
    expect(asked).toEqual([]);
    expect(a.getAttribute('title')).toBe('Call with Allo');
  });

  it('asks on focus only when the user moved it with Tab: a script’s focus() is trusted too', async () => {
    startDescribed('<span id="a">06 12 34 56 78</span><span id="b">07 68 42 19 05</span>');
    await settle();
    const [a, b] = [document.getElementById('a')!, document.getElementById('b')!];
    // What Chromium fires for `a.focus()` called by the page.
    focus(a);
    expect(asked).toEqual([]);

    pressTab();
    clock += 10;
    focus(b);
    expect(asked).toEqual(['+33768421905']);
    // One Tab, one focus: the script cannot ride on it.
    focus(a);
    pressTab();
    clock += 1_000;
    focus(a);
    expect(asked).toEqual(['+33768421905']);
  });
});

describe('hostile page text', () => {
  /** How long each scan task ran, on the given clock (happy-dom has no scheduler.postTask). */
  function timeTasks(clock: () => number): number[] {
    const durations: number[] = [];
    const setTimeout = window.setTimeout.bind(window);
    vi.spyOn(window, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) =>
      setTimeout(() => {
        const started = clock();
        callback();
        durations.push(clock() - started);
      }, ms)) as typeof window.setTimeout);
    return durations;
  }

  it('skips a 64 KB text node of numbers, and the scan never holds the page for long', async () => {
    const durations = timeTasks(() => performance.now());
    const huge = `${'06 12 34 56 78 '.repeat(Math.ceil(65_536 / 15))}1`;
    start(`<p id="huge">${huge}</p><span id="n">06 12 34 56 78</span>`);
    await settle();
    expect(document.querySelectorAll('#huge [data-allo-number]')).toHaveLength(0);
    expect(document.getElementById('huge')!.textContent).toBe(huge);
    expect(linked()).toEqual(['+33612345678']);
    // A long task, in Chromium's terms, is 50 ms; a slice is meant to take 10.
    expect(Math.max(...durations)).toBeLessThan(50);
  });

  it('reads the clock after every text node it parsed, so a slice overruns by one node at most', async () => {
    let clock = 0;
    const durations = timeTasks(() => clock);
    const notes = Array.from({ length: 100 }, (_, i) => `<p>Note ${i} : rappeler au 06 12 34 56 ${String(i).padStart(2, '0')}</p>`);
    start(notes.join(''), {
      sliceMs: 10,
      now: () => clock,
      // Each text parsed costs 4 ms on this clock: the parse asks for the default country once.
      defaultCountry: () => {
        clock += 4;
        return 'FR';
      },
    });
    await settle();
    expect(linked()).toHaveLength(100);
    expect(Math.max(...durations)).toBeLessThanOrEqual(10 + 4);
  });
});
