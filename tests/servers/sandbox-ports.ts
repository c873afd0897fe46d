/**
 * The fixed addresses the sandbox build is made for (.env.sandbox points the extension at them):
 * `npm start` serves the pages, Sellsy and Allo there, and tests that need the sandbox build to
 * reach a server must start it on these ports.
 */
export const PAGES_PORT = 5180;
export const SELLSY_PORT = 5181;
export const ALLO_PORT = 5182;
/** The local double of Allo's embedded dialer (WXT_ALLO_DIALER_URL in .env.sandbox). */
export const DIALER_PORT = 5183;

/** The OAuth client id the local Sellsy server knows; not a secret (a public PKCE client). */
export const SANDBOX_CLIENT_ID = 'allo-for-sellsy-sandbox';
