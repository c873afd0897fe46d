const NOTICE_MS = 4_000;

/**
 * A short notice at the bottom of the page (e.g. "number copied"), in a closed shadow root so
 * the page's styles and scripts leave it alone; text only, announced to screen readers.
 */
export function showNotice(doc: Document, text: string): void {
  const host = doc.createElement('allo-for-sellsy-notice');
  const shadow = host.attachShadow({ mode: 'closed' });
  const box = doc.createElement('div');
  box.setAttribute('role', 'status');
  box.textContent = text;
  const style = doc.createElement('style');
  style.textContent = `div { position: fixed; z-index: 2147483647; left: 50%; bottom: 24px; transform: translateX(-50%);
    max-width: 420px; padding: 10px 16px; border-radius: 8px; background: #1f2937; color: #fff;
    font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; box-shadow: 0 4px 16px rgb(0 0 0 / 0.25); }`;
  shadow.append(style, box);
  doc.documentElement.append(host);
  setTimeout(() => host.remove(), NOTICE_MS);
}
