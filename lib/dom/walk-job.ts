import type { Linkifier } from './linkifier';
import { judgeElement } from './skip-rules';

// The clock is read every so many nodes: reading it at each one would slow a plain walk. A
// parsed text node, which can cost as much as thousands of plain ones, counts for a whole batch.
const NODES_PER_CLOCK_READ = 32;

/** What the walk does with an element's text: read it, leave it, or leave it to a link around it. */
type Scope = 'scan' | 'skip' | 'link';

/**
 * A resumable walk over one subtree: `step` works until its deadline and can be called again
 * later, so a list of thousands of rows is scanned in slices that never block the page.
 *
 * Two passes, each a native walk that stops only where there may be work: the elements,
 * stopping in script only at links and shadow hosts (first, as a walk in document order meets
 * a link before its text), then the text nodes, an element being judged only when a text under
 * it may hold a number, and once. A walk stopping at every element to judge it took most of a
 * long list's scan.
 */
export class WalkJob {
  private walker: TreeWalker;
  private pass: 'elements' | 'texts' = 'elements';
  private next: Node | null;
  /** Nodes' worth of work since the clock was last read. */
  private work = 0;
  /** Each element's scope in this walk, so a row's ancestors are judged once, not per cell. */
  private readonly scopes = new WeakMap<Element, Scope>();

  constructor(
    private readonly root: Node,
    private readonly linkifier: Linkifier,
    private readonly onShadowRoot: (root: ShadowRoot) => void,
  ) {
    this.walker = this.documentOf().createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    this.next = root.nodeType === Node.ELEMENT_NODE ? root : this.walker.nextNode();
  }

  /** Returns true when the subtree is done. */
  step(deadline: number, now: () => number): boolean {
    for (;;) {
      // The page may have removed the node we were about to visit: start over (seen text is skipped).
      if (this.next && this.next !== this.root && !this.root.contains(this.next)) {
        this.walker.currentNode = this.root;
        this.next = this.walker.nextNode();
      }
      let node = this.next;
      while (node) {
        node = this.pass === 'elements' ? this.visitElement(node as Element) : this.visitText(node as Text);
        if (this.work < NODES_PER_CLOCK_READ) continue;
        this.work = 0;
        if (now() > deadline) {
          this.next = node;
          return node === null && this.pass === 'texts';
        }
      }
      if (this.pass === 'texts') {
        this.next = null;
        return true;
      }
      this.pass = 'texts';
      this.walker = this.documentOf().createTreeWalker(this.root, NodeFilter.SHOW_TEXT);
      this.next = this.walker.nextNode();
    }
  }

  private visitText(text: Text): Node | null {
    this.work++;
    if (this.linkifier.visitText(text, this.inScope)) this.work += NODES_PER_CLOCK_READ;
    return this.walker.nextNode();
  }

  /** Whether a text node's ancestors let it be read (one function for every text: no closure each). */
  private readonly inScope = (text: Text): boolean => {
    const parent = text.parentNode;
    return parent?.nodeType !== Node.ELEMENT_NODE || this.scopeOf(parent as Element) === 'scan';
  };

  /** Links and shadow hosts: the only elements that need more than their text read. */
  private visitElement(el: Element): Node | null {
    this.work++;
    if (el.tagName === 'A') {
      this.visitLink(el as HTMLAnchorElement);
    } else if (el.shadowRoot && this.scopeOf(el) === 'scan') {
      this.onShadowRoot(el.shadowRoot);
    }
    return this.walker.nextNode();
  }

  private visitLink(link: HTMLAnchorElement): void {
    const parent = link === this.root ? null : link.parentNode;
    // A link inside a link, or inside something skipped, is left to what is around it.
    if (parent?.nodeType === Node.ELEMENT_NODE && this.scopeOf(parent as Element) !== 'scan') return;
    if (this.linkifier.isOwn(link) || this.linkifier.isDecorated(link)) return;
    const verdict = judgeElement(link);
    // A link that lost its href or became a tel: link: its button goes (a WeakMap look-up).
    if (verdict !== 'page-link') this.linkifier.dropButton(link);
    if (verdict === 'tel-link') this.linkifier.visitTelLink(link);
    if (verdict === 'page-link') {
      this.linkifier.visitPageLink(link);
      this.work += NODES_PER_CLOCK_READ;
    }
    if (verdict === 'scan' && link.shadowRoot) this.onShadowRoot(link.shadowRoot);
  }

  /**
   * An element's scope, from its own verdict and its ancestors' up to the root (whose own
   * ancestors were judged before the walk): the chain is climbed only to the nearest element
   * already judged, then judged downwards.
   */
  private scopeOf(el: Element): Scope {
    const known = this.scopes.get(el);
    if (known) return known;
    const chain: Element[] = [];
    let above: Scope = 'scan';
    for (let cur: Element | null = el; cur; ) {
      const scope = this.scopes.get(cur);
      if (scope) {
        above = scope;
        break;
      }
      chain.push(cur);
      const parent: Node | null = cur === this.root ? null : cur.parentNode;
      cur = parent?.nodeType === Node.ELEMENT_NODE ? (parent as Element) : null;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const cur = chain[i]!;
      above = above === 'scan' ? this.ownScope(cur) : above;
      this.scopes.set(cur, above);
    }
    return above;
  }

  private ownScope(el: Element): Scope {
    // Our own nodes, and an element we made callable: their text is ours or already read.
    if (this.linkifier.isOwn(el) || this.linkifier.isDecorated(el)) return 'skip';
    const verdict = judgeElement(el);
    return verdict === 'scan' ? 'scan' : verdict === 'skip' ? 'skip' : 'link';
  }

  private documentOf(): Document {
    return this.root.ownerDocument ?? (this.root as Document);
  }
}
