import type { Linkifier } from './linkifier';
import { type ElementVerdict, judgeElement } from './skip-rules';
import { ELEMENT_NODE, SHOW_ELEMENT, SHOW_TEXT } from './node-types';

// The clock is read every so many nodes: reading it at each one would slow a plain walk. A
// parsed text node, which can cost as much as thousands of plain ones, counts for a whole batch.
const NODES_PER_CLOCK_READ = 32;

/**
 * A resumable walk over one subtree: `step` works until its deadline and can be called again
 * later, so a list of thousands of rows is scanned in slices that never block the page.
 *
 * Two native walks, each stopping in script only where there may be work: the elements, at
 * links and shadow hosts only (first, as a walk in document order meets a link before its
 * text), then the text nodes, an element being judged only when a text under it may hold a
 * number, and once. A walk stopping at every element to judge it took most of a long list's scan.
 */
export class WalkJob {
  private readonly doc: Document;
  private walker: TreeWalker;
  private next: Node | null;
  /** Nodes' worth of work since the clock was last read. */
  private work = 0;
  /**
   * Each element's verdict in this walk, its ancestors' included ('skip' or the outermost link
   * when one of them rules it), so a row's ancestors are judged once, not for each cell.
   */
  private verdicts = new WeakMap<Element, ElementVerdict>();

  constructor(
    private readonly root: Node,
    private readonly linkifier: Linkifier,
    private readonly onShadowRoot: (root: ShadowRoot) => void,
  ) {
    this.doc = root.ownerDocument ?? (root as Document);
    this.walker = this.doc.createTreeWalker(root, SHOW_ELEMENT);
    this.next = root.nodeType === ELEMENT_NODE ? root : this.walker.nextNode();
  }

  /** An ancestor became skipped (now editable) between two slices: the verdicts read before are stale. */
  forgetVerdicts(): void {
    this.verdicts = new WeakMap();
  }

  /** Returns true when the subtree is done. */
  step(deadline: number, now: () => number): boolean {
    for (;;) {
      // The page may have removed the node we were about to visit: start over (seen text is skipped).
      if (this.next && this.next !== this.root && !this.root.contains(this.next)) {
        this.walker.currentNode = this.root;
        this.next = this.walker.nextNode();
      }
      const texts = this.walker.whatToShow === SHOW_TEXT;
      let node = this.next;
      while (node) {
        this.work++;
        if (texts) {
          if (this.linkifier.visitText(node as Text, this.inScope)) this.work += NODES_PER_CLOCK_READ;
        } else this.visitElement(node as Element);
        node = this.walker.nextNode();
        if (this.work < NODES_PER_CLOCK_READ) continue;
        this.work = 0;
        if (now() > deadline) {
          this.next = node;
          return node === null && texts;
        }
      }
      if (texts) return true;
      this.walker = this.doc.createTreeWalker(this.root, SHOW_TEXT);
      this.next = this.walker.nextNode();
    }
  }

  /** Whether a text node's ancestors let it be read (one function for every text: no closure each). */
  private readonly inScope = (text: Text): boolean => {
    const parent = text.parentNode;
    return parent?.nodeType !== ELEMENT_NODE || this.verdictOf(parent as Element) === 'scan';
  };

  /** Links and shadow hosts: the only elements that need more than their text read. */
  private visitElement(el: Element): void {
    // A link cannot host a shadow root.
    if (el.tagName !== 'A') {
      if (el.shadowRoot && this.verdictOf(el) === 'scan') this.onShadowRoot(el.shadowRoot);
      return;
    }
    const parent = el === this.root ? null : el.parentNode;
    // A link inside a link, or inside something skipped, is left to what is around it.
    if (parent?.nodeType === ELEMENT_NODE && this.verdictOf(parent as Element) !== 'scan') return;
    const verdict = this.verdictOf(el);
    if (verdict === 'tel-link') this.linkifier.visitTelLink(el as HTMLAnchorElement);
    else if (verdict === 'page-link') {
      this.linkifier.visitPageLink(el as HTMLAnchorElement);
      this.work += NODES_PER_CLOCK_READ;
    }
    // A link that lost its href: its button goes (a WeakMap look-up; a tel: link's visit does it).
    else this.linkifier.dropButton(el);
  }

  /**
   * An element's verdict from its own and its ancestors' up to the root (whose own ancestors
   * were judged before the walk): the chain is climbed only to the nearest element already
   * judged, then judged downwards.
   */
  private verdictOf(el: Element): ElementVerdict {
    const chain: Element[] = [];
    let above: ElementVerdict = 'scan';
    for (let cur: Node | null = el; cur?.nodeType === ELEMENT_NODE; cur = cur === this.root ? null : cur.parentNode) {
      const known = this.verdicts.get(cur as Element);
      if (known) {
        above = known;
        break;
      }
      chain.push(cur as Element);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const cur = chain[i]!;
      // Our own nodes, and an element we made callable: their text is ours or already read.
      if (above === 'scan') above = this.linkifier.isOwn(cur) || this.linkifier.isDecorated(cur) ? 'skip' : judgeElement(cur);
      this.verdicts.set(cur, above);
    }
    return above;
  }
}
