// DOM node types and walker filters as plain numbers (their values are fixed by the DOM
// standard): the minifier inlines these, where `Node.ELEMENT_NODE` stays whole at each of its
// uses, and the content script has a byte budget.
export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;
export const DOCUMENT_FRAGMENT_NODE = 11;
export const SHOW_ELEMENT = 1;
export const SHOW_TEXT = 4;
