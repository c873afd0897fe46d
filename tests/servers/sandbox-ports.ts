/**
 * The fixed addresses the sandbox build is made for (.env.sandbox points the extension at them):
 * `npm start` serves the pages, Sellsy and Allo there, and tests that need the sandbox build to
 * reach a server must start it on these ports.
 *
 * `npm test` runs two groups of end-to-end files at once, as most of their time is spent waiting
 * on the extension's timers: the second group (E2E_SANDBOX=second) uses a second sandbox build
 * made for the ports ten above (.env.sandbox2, `wxt build --mode sandbox2`), so the groups never
 * share a server.
 */
export const SECOND_SANDBOX = process.env.E2E_SANDBOX === 'second';
const BASE = SECOND_SANDBOX ? 5190 : 5180;

export const PAGES_PORT = BASE;
export const SELLSY_PORT = BASE + 1;
export const ALLO_PORT = BASE + 2;
/** The local double of Allo's embedded dialer (WXT_ALLO_DIALER_URL in .env.sandbox). */
export const DIALER_PORT = BASE + 3;

/** The OAuth client id the local Sellsy server knows; not a secret (a public PKCE client). */
export const SANDBOX_CLIENT_ID = 'allo-for-sellsy-sandbox';
