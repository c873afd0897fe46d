// Bundled into the benchmark page: the two reference passes the content script is compared with.
import { findNumbers as libFindNumbers } from 'libphonenumber-js/min';

function textNodes(): Text[] {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

declare global {
  interface Window {
    allocBench: { treeWalker(): { ms: number; textNodes: number }; libFindNumbers(): { ms: number; numbers: number } };
  }
}

window.allocBench = {
  /** A bare TreeWalker pass over every text node: the floor of any DOM scan. */
  treeWalker() {
    const start = performance.now();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let count = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) count++;
    return { ms: performance.now() - start, textNodes: count };
  },
  /** libphonenumber's own finder on every text node, without a prefilter and without linking. */
  libFindNumbers() {
    const nodes = textNodes();
    const start = performance.now();
    let numbers = 0;
    for (const node of nodes) numbers += libFindNumbers(node.data, { defaultCountry: 'FR', v2: true }).length;
    return { ms: performance.now() - start, numbers };
  },
};
