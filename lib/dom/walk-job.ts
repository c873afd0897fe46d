import type { Linkifier } from './linkifier';
import { judgeElement } from './skip-rules';

// The clock is read every so many nodes: reading it at each one would slow a plain walk. A
// parsed text node, which can cost as much as thousands of plain ones, counts for a whole batch.
const NODES_PER_CLOCK_READ = 32;

/**
 * A resumable walk over one subtree: `step` works until its deadline and can be called again
 * later, so a list of thousands of rows is scanned in slices that never block the page.
 */
export class WalkJob {
  private readonly walker: TreeWalker;
  private next: Node | null;
  /** Nodes' worth of work since the clock was last read. */
  private work = 0;

  constructor(
    private readonly root: Node,
    private readonly linkifier: Linkifier,
    private readonly onShadowRoot: (root: ShadowRoot) => void,
  ) {
    const doc = root.ownerDocument ?? (root as Document);
    this.walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    this.next = root.nodeType === Node.ELEMENT_NODE ? root : this.walker.nextNode();
  }

  /** Returns true when the subtree is done. */
  step(deadline: number, now: () => number): boolean {
    // The page may have removed the node we were about to visit: start over (seen text is skipped).
    if (this.next && this.next !== this.root && !this.root.contains(this.next)) {
      this.walker.currentNode = this.root;
      this.next = this.walker.nextNode();
    }
    let node = this.next;
    while (node) {
      node = this.visit(node);
      if (this.work < NODES_PER_CLOCK_READ) continue;
      this.work = 0;
      if (now() > deadline) {
        this.next = node;
        return node === null;
      }
    }
    this.next = null;
    return true;
  }

  /** Visits the walker's current node (`node`) and moves the walker on. */
  private visit(node: Node): Node | null {
    this.work++;
    if (node.nodeType === Node.TEXT_NODE) {
      if (this.linkifier.visitText(node as Text)) this.work += NODES_PER_CLOCK_READ;
      return this.walker.nextNode();
    }
    const el = node as Element;
    if (this.linkifier.isOwn(el) || this.linkifier.isDecorated(el)) return this.skipSubtree();
    const verdict = judgeElement(el);
    // A link that lost its href or became a tel: link: its button goes (a WeakMap look-up).
    if (verdict !== 'page-link') this.linkifier.dropButton(el);
    if (verdict === 'skip') return this.skipSubtree();
    if (verdict === 'tel-link') {
      this.linkifier.visitTelLink(el as HTMLAnchorElement);
      return this.skipSubtree();
    }
    if (verdict === 'page-link') {
      this.linkifier.visitPageLink(el as HTMLAnchorElement);
      this.work += NODES_PER_CLOCK_READ;
      return this.skipSubtree();
    }
    if (el.shadowRoot) this.onShadowRoot(el.shadowRoot);
    return this.walker.nextNode();
  }

  /** The next node after the current one's subtree, staying inside the root. */
  private skipSubtree(): Node | null {
    if (this.walker.currentNode === this.root) return null;
    do {
      const sibling = this.walker.nextSibling();
      if (sibling) return sibling;
    } while (this.walker.parentNode());
    return null;
  }
}
