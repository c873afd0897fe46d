/**
 * Build-time configuration. Every outside address comes from a `WXT_*` variable so a sandbox
 * build can point at the local servers without code edits; the defaults are production.
 */
export interface Config {
  sellsyAuthorizeUrl: string;
  sellsyTokenUrl: string;
  sellsyApiUrl: string;
  sellsyAppUrl: string;
  /** Absent in builds made without one: connecting to Sellsy is then unavailable. */
  sellsyClientId: string | undefined;
  alloApiUrl: string;
  /** Allo's embedded dialer, shown in the side panel; its origin is the only one the panel hears. */
  alloDialerUrl: string;
  /**
   * Hosts of Sellsy's web app, where the content script runs (over https). Not the marketing
   * site (go.sellsy.com) nor the help centre (help.sellsy.com): any script there could drive it.
   */
  sellsyAppHosts: string[];
  /** Extra content-script match patterns (the sandbox adds its local pages). */
  extraMatches: string[];
}

export type ConfigEnv = Record<string, string | boolean | undefined>;

// Checked 2026-11-28: Sellsy's own end-to-end tests (2022) and today's integrations open the
// app (records, documents, settings) at www.sellsy.com; older accounts use www.sellsy.fr.
const SELLSY_APP_HOSTS = 'www.sellsy.com,www.sellsy.fr';

function text(env: ConfigEnv, name: string, fallback: string): string {
  const value = env[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

function list(env: ConfigEnv, name: string, fallback: string): string[] {
  return text(env, name, fallback)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function readConfig(env: ConfigEnv): Config {
  const clientId = text(env, 'WXT_SELLSY_CLIENT_ID', '');
  return {
    sellsyAuthorizeUrl: text(env, 'WXT_SELLSY_AUTHORIZE_URL', 'https://login.sellsy.com/oauth2/authorization'),
    sellsyTokenUrl: text(env, 'WXT_SELLSY_TOKEN_URL', 'https://login.sellsy.com/oauth2/access-tokens'),
    sellsyApiUrl: withoutTrailingSlash(text(env, 'WXT_SELLSY_API_URL', 'https://api.sellsy.com/v2')),
    sellsyAppUrl: withoutTrailingSlash(text(env, 'WXT_SELLSY_APP_URL', 'https://www.sellsy.com')),
    sellsyClientId: clientId === '' ? undefined : clientId,
    alloApiUrl: withoutTrailingSlash(text(env, 'WXT_ALLO_API_URL', 'https://api.withallo.com')),
    alloDialerUrl: text(env, 'WXT_ALLO_DIALER_URL', 'https://web.withallo.com?variant=dialer'),
    sellsyAppHosts: list(env, 'WXT_SELLSY_APP_HOSTS', SELLSY_APP_HOSTS),
    extraMatches: list(env, 'WXT_EXTRA_MATCHES', ''),
  };
}

/** Pages the content script runs on. */
export function contentMatches(config: Config): string[] {
  return [...config.sellsyAppHosts.map((host) => `https://${host}/*`), ...config.extraMatches];
}

/**
 * Origins the extension needs: the APIs and the OAuth token endpoint, which the background
 * reaches, and the dialer's site. Since Chrome 115 a frame inside an extension page keeps its
 * site's own cookies and storage only when the extension holds host permission for that site;
 * without it the dialer in the side panel could not reuse the user's Allo sign-in. Chromium
 * ignores the port in a host permission, so `http://127.0.0.1/*` covers every local server.
 */
export function hostPermissions(config: Config): string[] {
  const origins = [config.sellsyTokenUrl, config.sellsyApiUrl, config.alloApiUrl, config.alloDialerUrl].map((url) => {
    const { protocol, hostname } = new URL(url);
    return `${protocol}//${hostname}/*`;
  });
  return [...new Set(origins)];
}

/**
 * The extension pages' CSP: Chrome's default for MV3, plus framing the dialer's origin (the
 * side panel embeds it) and nothing else.
 */
export function extensionPagesCsp(config: Config): string {
  return `script-src 'self'; object-src 'self'; frame-src ${new URL(config.alloDialerUrl).origin};`;
}

export const config: Config = readConfig(import.meta.env ?? {});

/** The keyboard command (manifest `commands`) that opens the side panel on its name search. */
export const SEARCH_COMMAND = 'search-by-name';
