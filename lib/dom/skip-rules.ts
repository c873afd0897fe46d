import { DOCUMENT_FRAGMENT_NODE, ELEMENT_NODE } from './node-types';
const HTML_NS = 'http://www.w3.org/1999/xhtml';

// Where a number is data being typed, code, or already someone else's control.
// (One string, split: the content script has a byte budget.)
const SKIPPED_TAGS = new Set(
  'INPUT TEXTAREA SELECT OPTION BUTTON SCRIPT STYLE NOSCRIPT TEMPLATE CODE PRE KBD SAMP IFRAME OBJECT CANVAS VIDEO AUDIO TITLE HEAD'.split(' '),
);

export type ElementVerdict = 'scan' | 'skip' | 'tel-link' | 'page-link';

/** What the linkifier may do inside an element, judged from the element alone. */
export function judgeElement(el: Element): ElementVerdict {
  // SVG, MathML: their text is drawing, not prose.
  if (el.namespaceURI !== HTML_NS) return 'skip';
  const tag = el.tagName;
  if (SKIPPED_TAGS.has(tag)) return 'skip';
  // Most elements of a long list carry no attribute at all: one question instead of three.
  if (!el.hasAttributes()) return 'scan';
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable.toLowerCase() !== 'false') return 'skip';
  if (el.getAttribute('role') === 'textbox') return 'skip';
  if (tag === 'A' && el.hasAttribute('href')) {
    // A link of the page's own (a record, `#`): never scanned inside, but a number that is its
    // whole text gets a call button beside it.
    return isTelHref(el.getAttribute('href')!) ? 'tel-link' : 'page-link';
  }
  return 'scan';
}

export function isTelHref(href: string): boolean {
  return /^\s*(?:tel|callto):/i.test(href);
}

/** The parent across shadow boundaries, so a node in a shadow root inherits its host's rules. */
export function composedParent(node: Node): Node | null {
  const parent = node.parentNode;
  if (parent && parent.nodeType === DOCUMENT_FRAGMENT_NODE) return (parent as ShadowRoot).host ?? null;
  return parent;
}

export interface AncestorVerdict {
  verdict: ElementVerdict;
  /** The nearest link around the node, when the verdict is 'tel-link' or 'page-link'. */
  link?: HTMLAnchorElement;
}

/** Judges a node by its ancestors: one walk to the root, done once per added subtree. */
export function judgeAncestors(node: Node): AncestorVerdict {
  if (node.ownerDocument?.designMode === 'on') return { verdict: 'skip' };
  // The nearest link decides, unless something further up rules the whole area out (a link
  // inside an editor is the user's text).
  let nearestLink: AncestorVerdict | undefined;
  for (let cur = composedParent(node); cur; cur = composedParent(cur)) {
    if (cur.nodeType !== ELEMENT_NODE) continue;
    const verdict = judgeElement(cur as Element);
    if (verdict === 'skip') return { verdict };
    if ((verdict === 'tel-link' || verdict === 'page-link') && !nearestLink) nearestLink = { verdict, link: cur as HTMLAnchorElement };
  }
  return nearestLink ?? { verdict: 'scan' };
}
