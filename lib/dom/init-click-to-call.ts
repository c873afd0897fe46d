import type { CountryCode } from 'libphonenumber-js/min';
import type { TelTarget } from '../phone/tel-href';
import { adoptCallLinkStyles, removeCallLinkStyles } from './call-link-styles';
import { Linkifier, NUMBER_ATTRIBUTE } from './linkifier';
import { judgeAncestors, judgeElement } from './skip-rules';
import { WalkJob } from './walk-job';
import { DOCUMENT_FRAGMENT_NODE, DOCUMENT_NODE, ELEMENT_NODE, TEXT_NODE } from './node-types';

export interface ClickToCallOptions {
  doc?: Document;
  /** Aborting it stops everything and puts the page back as it was. */
  signal: AbortSignal;
  defaultCountry: () => CountryCode;
  title: (target: TelTarget) => string;
  /** Accessible name of the call button beside a page link that shows a number. */
  buttonLabel?: (target: TelTarget) => string;
  onCall: (target: TelTarget) => void;
  /** A fuller tooltip (who will be called), asked when the pointer or focus reaches a number. */
  describe?: (target: TelTarget) => Promise<string>;
  /** Longest slice of scanning before the page gets the main thread back. */
  sliceMs?: number;
  now?: () => number;
}

export interface ClickToCall {
  /** Resolves once every queued subtree has been scanned (tests and benchmarks). */
  idle(): Promise<void>;
  /** Re-examines everything, e.g. after the default country changed. */
  rescan(): void;
}

/** The Prioritized Task Scheduling API (Chromium), missing from TypeScript's DOM types. */
interface TaskScheduler {
  postTask(task: () => void): Promise<unknown>;
}

// A pointer sweeping over a list re-enters the same numbers: ask the background once a while.
const DESCRIBE_AGAIN_MS = 5_000;
// The longest the first scan waits for the page's next frame.
const FIRST_FRAME_WAIT_MS = 500;
// Focus that follows a Tab press this soon is the keyboard's, not a page script's `focus()`.
const TAB_FOCUS_MS = 500;

const OBSERVED: MutationObserverInit = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  attributeFilter: ['href', 'contenteditable'],
};

/** Makes the numbers of a document callable, now and as the single-page app renders more. */
export function initClickToCall(options: ClickToCallOptions): ClickToCall {
  const doc = options.doc ?? document;
  const view = doc.defaultView ?? window;
  const now = options.now ?? (() => performance.now());
  const sliceMs = options.sliceMs ?? 10;
  const { signal } = options;
  let linkifier = new Linkifier(options);
  const queue: Node[] = [];
  let job: WalkJob | undefined;
  let scheduled = false;
  let idleWaiters: Array<() => void> = [];
  const shadowRoots = new WeakSet<ShadowRoot>();
  const shadowRootRefs: Array<WeakRef<ShadowRoot>> = [];

  const observer = new view.MutationObserver((records) => {
    handleRecords(records);
    // What we just changed ourselves is not news.
    observer.takeRecords();
  });

  function enqueue(node: Node): void {
    queue.push(node);
    schedule();
  }

  function schedule(): void {
    if (scheduled || signal.aborted) return;
    scheduled = true;
    // A task of its own, not a frame callback: the page's own layout of what it just added
    // then never shares a task with our work, and input gets in between two slices. Linked
    // numbers look unchanged at rest, so linking a frame later shows no flicker.
    const scheduler = (view as Window & { scheduler?: TaskScheduler }).scheduler;
    if (scheduler) void scheduler.postTask(run);
    else view.setTimeout(run, 0);
  }

  /**
   * The first scan waits for the page's next frame: a long list loaded with the page is then
   * laid out and painted first, not after our first slices (nothing we link looks different
   * anyway). A hidden page starts at once; a frame that does not come (a throttled off-screen
   * frame) holds the scan back half a second at most.
   */
  function startAfterNextFrame(): void {
    scheduled = true;
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      scheduled = false;
      schedule();
    };
    if (doc.visibilityState === 'hidden' || typeof view.requestAnimationFrame !== 'function') {
      start();
      return;
    }
    // Called as the frame starts; the task it schedules runs once the frame is painted.
    view.requestAnimationFrame(start);
    view.setTimeout(start, FIRST_FRAME_WAIT_MS);
  }

  function run(): void {
    scheduled = false;
    if (signal.aborted) return;
    handleRecords(observer.takeRecords());
    const deadline = now() + sliceMs;
    while (now() <= deadline) {
      if (!job) {
        const root = queue.shift();
        if (!root) break;
        job = startJob(root);
        if (!job) continue;
      }
      if (job.step(deadline, now)) job = undefined;
    }
    observer.takeRecords();
    if (job || queue.length > 0) schedule();
    else {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** A walk for a subtree the page added, unless its ancestors rule it out. */
  function startJob(root: Node): WalkJob | undefined {
    if (!root.isConnected) return undefined;
    if (root.nodeType === TEXT_NODE) {
      linkifier.visitTextIn(root as Text);
      return undefined;
    }
    if (root.nodeType === ELEMENT_NODE || root.nodeType === DOCUMENT_FRAGMENT_NODE) {
      const { verdict, link } = judgeAncestors(root);
      if (verdict === 'skip') {
        // Moved into a skipped area (an editor…) after a walk read it with its old ancestors'
        // verdicts: what that walk made callable there goes.
        linkifier.undoWithin(root as ParentNode);
        return undefined;
      }
      if (verdict === 'tel-link' && link) {
        linkifier.visitTelLink(link);
        return undefined;
      }
      if (verdict === 'page-link' && link) {
        linkifier.visitPageLink(link);
        return undefined;
      }
    }
    if (root.nodeType === DOCUMENT_NODE && doc.designMode === 'on') return undefined;
    return new WalkJob(root, linkifier, watchShadowRoot);
  }

  function watchShadowRoot(root: ShadowRoot): void {
    if (shadowRoots.has(root)) return;
    shadowRoots.add(root);
    shadowRootRefs.push(new WeakRef(root));
    observer.observe(root, OBSERVED);
    adoptCallLinkStyles(root);
    enqueue(root);
  }

  function handleRecords(records: MutationRecord[]): void {
    const reordered = new Set<Node>();
    for (const record of records) {
      const target = record.target;
      if (record.type === 'characterData') {
        if (target.nodeType === TEXT_NODE) linkifier.revisitText(target as Text);
      } else if (record.type === 'childList') {
        reordered.add(target);
        for (const node of record.removedNodes) linkifier.forget(node);
        if (target.nodeType === ELEMENT_NODE && linkifier.isDecorated(target as Element)) {
          linkifier.refresh(target as Element);
        }
        for (const node of record.addedNodes) if (!linkifier.isOwn(node)) enqueue(node);
      } else if (record.type === 'attributes' && target.nodeType === ELEMENT_NODE) {
        const el = target as Element;
        if (linkifier.isOwn(el)) continue;
        if (record.attributeName === 'contenteditable' && judgeElement(el) === 'skip') {
          job?.forgetVerdicts();
          linkifier.undoWithin(el);
        } else if (linkifier.isDecorated(el)) linkifier.refresh(el);
        else enqueue(el);
      }
    }
    // After the removals above, so a moved link's button is already gone, not moved twice.
    for (const parent of reordered) linkifier.realignButtons(parent);
  }

  function callableIn(path: EventTarget[]): Element | undefined {
    for (const target of path) {
      const node = target as Node;
      if (node.nodeType !== ELEMENT_NODE) continue;
      const el = node as Element;
      if (el.hasAttribute(NUMBER_ATTRIBUTE) && (linkifier.isDecorated(el) || linkifier.isOwn(el))) return el;
    }
    return undefined;
  }

  /** Calls the number an element shows now; false when it no longer shows one. */
  function call(el: Element): boolean {
    const target = linkifier.targetOf(el);
    if (!target) {
      linkifier.refresh(el);
      return false;
    }
    if (target.e164 !== el.getAttribute(NUMBER_ATTRIBUTE)) linkifier.refresh(el);
    options.onCall(target);
    return true;
  }

  function isSelecting(el: Element): boolean {
    const selection = doc.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.toString().trim() === '') return false;
    return selection.getRangeAt(0).intersectsNode(el);
  }

  // A page script's `el.focus()` fires a trusted focusin: focus counts only right after the user
  // pressed Tab, once per press.
  let tabPressedAt = -Infinity;

  // Any script on the page can dispatch events, and Sellsy pages show text anyone can write:
  // only the user's own input (`isTrusted`) calls a number or asks who it belongs to.
  function onClick(event: MouseEvent): void {
    if (!event.isTrusted || event.button !== 0) return;
    const el = callableIn(event.composedPath());
    // A drag that selects the number to copy it is not a call.
    if (!el || isSelecting(el)) return;
    // The second click of a double-click (`detail` counts them) is the same gesture: calling
    // again would hand the number to a second place (tel: and the dialer). It stays ours,
    // so the row does not react to it either.
    if (event.detail <= 1 && !call(el)) return;
    // The row around the number must not react (open the contact, navigate).
    event.preventDefault();
    event.stopPropagation();
  }

  function onKeydown(event: KeyboardEvent): void {
    if (!event.isTrusted) return;
    if (event.key === 'Tab') tabPressedAt = now();
    if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const el = callableIn(event.composedPath());
    // Links and buttons activate on Enter by themselves (and reach onClick); decorated elements do not.
    if (!el || el.tagName === 'A' || el.tagName === 'BUTTON' || !call(el)) return;
    event.preventDefault();
    event.stopPropagation();
  }

  function onFocusIn(event: FocusEvent): void {
    const fromTab = event.isTrusted && now() - tabPressedAt <= TAB_FOCUS_MS;
    tabPressedAt = -Infinity;
    if (fromTab) void describe(event);
  }

  function onPointerOver(event: PointerEvent): void {
    if (event.isTrusted) void describe(event);
  }

  /** Who will be called is asked only when someone looks, and again at most every few seconds. */
  const describedAt = new WeakMap<Element, { e164: string; at: number }>();
  async function describe(event: Event): Promise<void> {
    const el = callableIn(event.composedPath());
    if (!el || !options.describe) return;
    const target = linkifier.targetOf(el);
    if (!target) return;
    const last = describedAt.get(el);
    if (last && last.e164 === target.e164 && now() - last.at < DESCRIBE_AGAIN_MS) return;
    describedAt.set(el, { e164: target.e164, at: now() });
    const title = await options.describe(target).catch(() => undefined);
    if (title && !signal.aborted && el.getAttribute(NUMBER_ATTRIBUTE) === target.e164) linkifier.retitle(el, title);
  }

  function undoAll(): void {
    observer.disconnect();
    const roots: Array<Document | ShadowRoot> = [doc];
    for (const ref of shadowRootRefs) {
      const root = ref.deref();
      if (root) roots.push(root);
    }
    for (const root of roots) {
      linkifier.undoWithin(root);
      removeCallLinkStyles(root);
    }
  }

  view.addEventListener('click', onClick, { capture: true, signal });
  view.addEventListener('keydown', onKeydown, { capture: true, signal });
  view.addEventListener('pointerover', onPointerOver, { capture: true, signal });
  view.addEventListener('focusin', onFocusIn, { capture: true, signal });
  signal.addEventListener('abort', undoAll, { once: true });
  adoptCallLinkStyles(doc);
  observer.observe(doc, OBSERVED);
  queue.push(doc);
  startAfterNextFrame();

  return {
    idle: () => (!scheduled && !job && queue.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    rescan: () => {
      for (const root of [doc, ...shadowRootRefs.map((ref) => ref.deref())]) {
        if (root) linkifier.undoWithin(root);
      }
      observer.takeRecords();
      linkifier = new Linkifier(options);
      job = undefined;
      queue.length = 0;
      enqueue(doc);
      for (const ref of shadowRootRefs) {
        const root = ref.deref();
        if (root) enqueue(root);
      }
    },
  };
}
