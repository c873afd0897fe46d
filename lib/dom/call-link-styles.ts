import { CALL_BUTTON_CLASS, NUMBER_ATTRIBUTE } from './linkifier';
import { DOCUMENT_NODE } from './node-types';

// Attribute selectors, not classes: a page renderer that rewrites `className` keeps our look.
// At rest a linked number looks exactly as the page drew it: any visible change would repaint
// every linked cell of a long list (measured: ~80 ms a frame on 5,000 rows). The pointer,
// the underline on hover and the focus ring say it is callable. Written without spaces: the
// content script's size is budgeted.
const CSS = `
[${NUMBER_ATTRIBUTE}]{cursor:pointer}
[${NUMBER_ATTRIBUTE}]:hover{text-decoration-line:underline;text-decoration-style:dotted;text-underline-offset:2px}
a.allo-call-link[${NUMBER_ATTRIBUTE}]{color:inherit;font:inherit;text-decoration:none}
a.allo-call-link[${NUMBER_ATTRIBUTE}]:hover{text-decoration-line:underline;text-decoration-style:dotted}
[${NUMBER_ATTRIBUTE}]:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px;border-radius:2px}
button.${CALL_BUTTON_CLASS}[${NUMBER_ATTRIBUTE}]{all:unset;box-sizing:border-box;display:inline-block;width:1.25em;height:1.25em;margin-inline-start:0.3em;vertical-align:-0.2em;border-radius:3px;cursor:pointer;color:#1d4ed8;font:inherit;font-size:0.95em;line-height:1.25em;text-align:center}
button.${CALL_BUTTON_CLASS}[${NUMBER_ATTRIBUTE}]::before{content:"\\260E"}
button.${CALL_BUTTON_CLASS}[${NUMBER_ATTRIBUTE}]:hover{background:rgba(29, 78, 216, 0.12)}
button.${CALL_BUTTON_CLASS}[${NUMBER_ATTRIBUTE}]:focus-visible{outline:2px solid #1d4ed8;outline-offset:1px}
`;

const sheets = new WeakMap<Document, CSSStyleSheet>();

/**
 * Adds the link look to a document or shadow root as an adopted sheet: no node enters the
 * page, and a shadow root (which document styles do not reach) gets it the same way.
 */
export function adoptCallLinkStyles(root: Document | ShadowRoot): void {
  const doc = documentOf(root);
  const view = doc.defaultView;
  if (!view) return;
  let sheet = sheets.get(doc);
  if (!sheet) {
    sheet = new view.CSSStyleSheet();
    sheet.replaceSync(CSS);
    sheets.set(doc, sheet);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

export function removeCallLinkStyles(root: Document | ShadowRoot): void {
  const sheet = sheets.get(documentOf(root));
  if (sheet) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
}

// By node type, not `instanceof`: a frame's document comes from another realm.
function documentOf(root: Document | ShadowRoot): Document {
  return root.nodeType === DOCUMENT_NODE ? (root as Document) : (root as ShadowRoot).ownerDocument!;
}
