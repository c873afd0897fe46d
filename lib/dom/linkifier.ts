import type { CountryCode } from 'libphonenumber-js/min';
import { findNumbers, MIN_NUMBER_LENGTH, mayContainNumber, type FoundNumber } from '../phone/find-numbers';
import { parseTelHref, type TelTarget } from '../phone/tel-href';
import { judgeAncestors, judgeElement } from './skip-rules';
import { COMMENT_NODE, ELEMENT_NODE, SHOW_TEXT, TEXT_NODE } from './node-types';

export const NUMBER_ATTRIBUTE = 'data-allo-number';
const EXTENSION_ATTRIBUTE = 'data-allo-extension';
export const CALL_BUTTON_CLASS = 'allo-call-button';
// A page link whose text is a phone number is short; a longer text is not read at all.
const PAGE_LINK_MAX_TEXT = 64;

// Elements that show a number by themselves and are made callable in place, with attributes
// only: no new box, so a 5,000-row table is not laid out again for every linked cell.
const DECORATABLE_TAGS = new Set('SPAN A B STRONG EM I SMALL DIV P LABEL BDI TD TH LI DD DT'.split(' '));
// Of those, the ones whose own role means something (a cell, an item): they keep it, and are
// described as callable by their title instead of becoming links.
const STRUCTURAL_TAGS = new Set(['TD', 'TH', 'LI', 'DD', 'DT']);

export interface LinkifierOptions {
  defaultCountry: () => CountryCode;
  /** Tooltip of a linked number. */
  title: (target: TelTarget) => string;
  /** Accessible name of the call button put beside a page link that shows a number. */
  buttonLabel?: (target: TelTarget) => string;
}

/** What we changed on a page element, to put it back exactly. */
interface Decoration {
  readonly kind: 'element' | 'tel-link';
  readonly role: string | null;
  readonly tabindex: string | null;
  readonly title: string | null;
}

// One record shared by every element that had no attributes: thousands of cells, no objects.
const BARE_ELEMENT: Decoration = { kind: 'element', role: null, tabindex: null, title: null };

/**
 * Turns numbers into callable elements while leaving the page's own nodes where its renderer
 * expects them (docs/architecture.md):
 * - an element that holds only the number is decorated in place (attributes, no new nodes);
 * - a number inside longer text gets a link of our own beside the page's text node, which keeps
 *   the text before the number; when the page rewrites or removes that node, ours go away.
 */
export class Linkifier {
  /** Text node → its value when last examined: a node is examined again only if it changed. */
  private readonly seen = new WeakMap<Text, string>();
  private readonly decorations = new WeakMap<Element, Decoration>();
  /** Page text node that we shortened → the nodes we put after it. */
  private readonly splits = new WeakMap<Text, Node[]>();
  private readonly own = new WeakSet<Node>();
  /** A page link that shows a number → the call button we put right after it, and back. */
  private readonly buttons = new WeakMap<Element, HTMLButtonElement>();
  private readonly buttonLinks = new WeakMap<Element, HTMLAnchorElement>();
  /** Elements where we put a call button: only their children can need realigning. */
  private readonly buttonParents = new WeakSet<Node>();

  constructor(private readonly options: LinkifierOptions) {}

  isOwn(node: Node): boolean {
    return this.own.has(node);
  }

  isDecorated(el: Element): boolean {
    return this.decorations.has(el);
  }

  /**
   * Examines a text node the walker reached. True when the text had to be parsed, the costly
   * case (bounded per node by findNumbers' limits). `inScope` judges its ancestors, asked only
   * of a text that may hold a number (most of a page's text is ruled out first, cheaply).
   */
  visitText(text: Text, inScope?: (text: Text) => boolean): boolean {
    // Reading a node's text makes a string of it; its length costs next to nothing, and most
    // text nodes of a page (a name, a city, a status, white space) are too short for a number.
    // Our own text nodes (the text around a number we linked) are never parsed.
    if (text.length < MIN_NUMBER_LENGTH || this.own.has(text)) return false;
    const value = text.data;
    // Only text that may hold a number is remembered: a WeakMap entry for each of a page's
    // text nodes cost more than testing them again. (Any change to a text node reaches
    // `revisitText`, which forgets it, so what is remembered is never stale.)
    if (!mayContainNumber(value) || this.seen.get(text) === value || (inScope && !inScope(text))) return false;
    const numbers = findNumbers(value, this.options.defaultCountry());
    if (numbers.length === 0) {
      this.seen.set(text, value);
      return true;
    }
    const parent = text.parentElement;
    // The common case, a text node alone in its element, needs no second parse. (Its siblings
    // tell it without a child list object for each cell of a long list.)
    const alone = !text.previousSibling && !text.nextSibling;
    const single = parent ? (alone ? onlyNumberOf(value, numbers) : this.singleNumberOf(parent)) : undefined;
    // A decorated element's text is never visited again while it stays decorated (the walk
    // skips it, a change refreshes the element): it needs no entry, thousands in a long list.
    if (parent && single && canDecorate(parent)) this.decorate(parent, single);
    else this.split(text, numbers);
    return true;
  }

  /** A text node whose value the page changed: judged from scratch. */
  revisitText(text: Text): void {
    if (this.own.has(text)) return;
    if (this.splits.has(text)) this.unsplit(text);
    this.seen.delete(text);
    this.visitTextIn(text);
  }

  /** A text node reached on its own (added by the page), judged by its ancestors first. */
  visitTextIn(text: Text): void {
    if (this.own.has(text)) return;
    const parent = text.parentElement;
    if (parent && this.decorations.has(parent)) {
      this.refresh(parent);
      return;
    }
    const { verdict, link } = judgeAncestors(text);
    if (verdict === 'tel-link' && link) this.visitTelLink(link);
    if (verdict === 'page-link' && link) this.visitPageLink(link);
    if (verdict === 'scan') this.visitText(text);
  }

  /** The page removed one of its nodes: drop what we had added beside it. */
  forget(node: Node): void {
    if (node.nodeType === TEXT_NODE && this.splits.has(node as Text)) this.unsplit(node as Text);
    if (node.nodeType === ELEMENT_NODE && this.buttons.has(node as Element)) this.dropButton(node as Element);
  }

  /**
   * A link of the page (a record, `#`) whose whole text is one number: the link stays the page's,
   * untouched and working, and a small call button of ours goes right after it, never inside.
   */
  visitPageLink(link: HTMLAnchorElement): void {
    const text = link.textContent ?? '';
    const target =
      text.length <= PAGE_LINK_MAX_TEXT && mayContainNumber(text) ? onlyNumberOf(text, findNumbers(text, this.options.defaultCountry())) : undefined;
    if (!target) {
      this.dropButton(link);
      return;
    }
    let button = this.buttons.get(link);
    if (!button || button.previousSibling !== link) {
      if (button) this.dropButton(link);
      button = link.ownerDocument.createElement('button');
      button.type = 'button';
      button.className = CALL_BUTTON_CLASS;
      this.own.add(button);
      this.buttons.set(link, button);
      this.buttonLinks.set(button, link);
      link.after(button);
      if (link.parentNode) this.buttonParents.add(link.parentNode);
    }
    this.label(button, target);
    const name = (this.options.buttonLabel ?? this.options.title)(target);
    if (button.getAttribute('aria-label') !== name) button.setAttribute('aria-label', name);
    if (!button.hasAttribute('title')) button.setAttribute('title', this.options.title(target));
  }

  visitTelLink(link: HTMLAnchorElement): void {
    this.dropButton(link);
    const target = parseTelHref(link.getAttribute('href') ?? '', this.options.defaultCountry());
    if (!target) {
      if (this.decorations.has(link)) this.undecorate(link);
      return;
    }
    this.decorate(link, target, 'tel-link');
  }

  /**
   * Puts each call button among these children back right after its link. A keyed renderer moves
   * its own nodes around ours: Vue 2 moves a row with `insertBefore(row, other.nextSibling)`,
   * and `other.nextSibling` is our button, so the moved link lands before the button of another
   * number, which would then sit beside the wrong one.
   */
  realignButtons(parent: Node): void {
    if (!this.buttonParents.has(parent)) return;
    for (const child of [...parent.childNodes]) {
      const button = child.nodeType === ELEMENT_NODE ? this.buttons.get(child as Element) : undefined;
      if (button && button.previousSibling !== child) (child as Element).after(button);
    }
  }

  /** Re-checks a decorated element after the page changed it. */
  refresh(el: Element): void {
    const decoration = this.decorations.get(el);
    if (!decoration) return;
    if (decoration.kind === 'tel-link') {
      const verdict = judgeElement(el);
      if (verdict === 'tel-link') this.visitTelLink(el as HTMLAnchorElement);
      else this.undecorate(el);
      if (verdict === 'page-link') this.visitPageLink(el as HTMLAnchorElement);
      return;
    }
    const single = this.singleNumberOf(el);
    if (single) {
      this.decorate(el, single);
      return;
    }
    this.undecorate(el);
    for (const child of el.childNodes) {
      if (child.nodeType !== TEXT_NODE) continue;
      this.seen.delete(child as Text);
      this.visitText(child as Text);
    }
  }

  /** The number a click on a linked element must call, read from what the page shows now. */
  targetOf(el: Element): TelTarget | undefined {
    const decoration = this.decorations.get(el);
    if (decoration?.kind === 'tel-link') {
      return parseTelHref(el.getAttribute('href') ?? '', this.options.defaultCountry());
    }
    if (!decoration && !this.own.has(el)) return undefined;
    const link = this.buttonLinks.get(el);
    const numbers = findNumbers((link ?? el).textContent ?? '', this.options.defaultCountry());
    if (numbers.length !== 1) return undefined;
    const [number] = numbers as [FoundNumber];
    return number.extension ? { e164: number.e164, extension: number.extension } : { e164: number.e164 };
  }

  /** Replaces the tooltip of a linked element, unless the page gave it one of its own. */
  retitle(el: Element, title: string): void {
    const decoration = this.decorations.get(el);
    if ((this.own.has(el) || decoration?.title === null) && el.getAttribute('title') !== title) el.setAttribute('title', title);
  }

  /** Puts back everything under a root as the page made it (extension unloaded, area now editable). */
  undoWithin(root: ParentNode): void {
    for (const el of root.querySelectorAll(`[${NUMBER_ATTRIBUTE}]`)) {
      if (this.decorations.has(el)) this.undecorate(el);
      const link = this.buttonLinks.get(el);
      if (link) this.dropButton(link);
    }
    const texts = root.ownerDocument ?? (root as Document);
    const walker = texts.createTreeWalker(root, SHOW_TEXT);
    const originals: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      this.seen.delete(node as Text);
      if (this.splits.has(node as Text)) originals.push(node as Text);
    }
    for (const text of originals) this.unsplit(text, { restoreText: true });
  }

  /** The one number an element shows, when it shows nothing else (whitespace aside). */
  private singleNumberOf(el: Element): TelTarget | undefined {
    if (!canDecorate(el)) return undefined;
    for (const child of el.childNodes) {
      if (child.nodeType !== TEXT_NODE && child.nodeType !== COMMENT_NODE) return undefined;
    }
    const text = el.textContent ?? '';
    const target = onlyNumberOf(text, findNumbers(text, this.options.defaultCountry()));
    if (target) {
      for (const child of el.childNodes) if (child.nodeType === TEXT_NODE) this.seen.set(child as Text, (child as Text).data);
    }
    return target;
  }

  private decorate(el: Element, target: TelTarget, kind: Decoration['kind'] = 'element'): void {
    let decoration = this.decorations.get(el);
    // An element without attributes (most cells of a long list) has nothing to read back; a
    // tel: link always has its href.
    const bare = !decoration && kind === 'element' && !el.hasAttributes();
    if (!decoration) {
      decoration = bare ? BARE_ELEMENT : { kind, role: el.getAttribute('role'), tabindex: el.getAttribute('tabindex'), title: el.getAttribute('title') };
      this.decorations.set(el, decoration);
      if (kind === 'element') {
        if (!STRUCTURAL_TAGS.has(el.tagName)) el.setAttribute('role', 'link');
        if (decoration.tabindex === null) el.setAttribute('tabindex', '0');
      }
    }
    this.label(el, target, bare);
    if (decoration.title === null) el.setAttribute('title', this.options.title(target));
  }

  private undecorate(el: Element): void {
    const decoration = this.decorations.get(el);
    if (!decoration) return;
    this.decorations.delete(el);
    el.removeAttribute(NUMBER_ATTRIBUTE);
    el.removeAttribute(EXTENSION_ATTRIBUTE);
    restoreAttribute(el, 'title', decoration.title);
    if (decoration.kind === 'element') {
      restoreAttribute(el, 'role', decoration.role);
      restoreAttribute(el, 'tabindex', decoration.tabindex);
    }
  }

  /** `fresh`: the element has none of our attributes yet, so nothing is read before writing. */
  private label(el: Element, target: TelTarget, fresh = false): void {
    if (fresh || el.getAttribute(NUMBER_ATTRIBUTE) !== target.e164) el.setAttribute(NUMBER_ATTRIBUTE, target.e164);
    if (target.extension) el.setAttribute(EXTENSION_ATTRIBUTE, target.extension);
    else if (!fresh && el.hasAttribute(EXTENSION_ATTRIBUTE)) el.removeAttribute(EXTENSION_ATTRIBUTE);
  }

  private split(text: Text, numbers: FoundNumber[]): void {
    const value = text.data;
    const doc = text.ownerDocument;
    const added: Node[] = [];
    let cursor = numbers[0]!.start;
    for (const number of numbers) {
      if (number.start > cursor) added.push(doc.createTextNode(value.slice(cursor, number.start)));
      const link = doc.createElement('a');
      const target: TelTarget = number.extension ? { e164: number.e164, extension: number.extension } : { e164: number.e164 };
      link.href = `tel:${number.e164}`;
      link.className = 'allo-call-link';
      link.textContent = value.slice(number.start, number.end);
      this.label(link, target, true);
      link.setAttribute('title', this.options.title(target));
      added.push(link);
      cursor = number.end;
    }
    if (cursor < value.length) added.push(doc.createTextNode(value.slice(cursor)));
    for (const node of added) {
      this.own.add(node);
      if (node.firstChild) this.own.add(node.firstChild);
    }
    text.data = value.slice(0, numbers[0]!.start);
    text.after(...added);
    this.splits.set(text, added);
    this.seen.set(text, text.data);
  }

  /** Takes away the call button beside an element, if it has one (it is no longer a page link). */
  dropButton(link: Element): void {
    const button = this.buttons.get(link);
    if (!button) return;
    this.buttons.delete(link);
    this.buttonLinks.delete(button);
    button.remove();
  }

  private unsplit(text: Text, { restoreText = false } = {}): void {
    const added = this.splits.get(text) ?? [];
    this.splits.delete(text);
    this.seen.delete(text);
    if (restoreText) text.data += added.map((node) => node.textContent ?? '').join('');
    for (const node of added) (node as ChildNode).remove();
  }
}

function canDecorate(el: Element): boolean {
  return DECORATABLE_TAGS.has(el.tagName) && judgeElement(el) === 'scan';
}

/** The number a text shows when it shows nothing else (whitespace aside). */
function onlyNumberOf(text: string, numbers: FoundNumber[]): TelTarget | undefined {
  if (numbers.length !== 1) return undefined;
  const [number] = numbers as [FoundNumber];
  if (text.slice(0, number.start).trim() !== '' || text.slice(number.end).trim() !== '') return undefined;
  return number.extension ? { e164: number.e164, extension: number.extension } : { e164: number.e164 };
}

function restoreAttribute(el: Element, name: string, value: string | null): void {
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}
