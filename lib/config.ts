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
  /** Extra content-script match patterns (the sandbox adds its local pages). */
  extraMatches: string[];
}

export type ConfigEnv = Record<string, string | boolean | undefined>;

const SELLSY_MATCHES = ['https://*.sellsy.com/*'];

function text(env: ConfigEnv, name: string, fallback: string): string {
  const value = env[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
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
    sellsyAppUrl: withoutTrailingSlash(text(env, 'WXT_SELLSY_APP_URL', 'https://go.sellsy.com')),
    sellsyClientId: clientId === '' ? undefined : clientId,
    alloApiUrl: withoutTrailingSlash(text(env, 'WXT_ALLO_API_URL', 'https://api.withallo.com')),
    extraMatches: text(env, 'WXT_EXTRA_MATCHES', '')
      .split(',')
      .map((pattern) => pattern.trim())
      .filter((pattern) => pattern !== ''),
  };
}

/** Pages the content script runs on. */
export function contentMatches(config: Config): string[] {
  return [...SELLSY_MATCHES, ...config.extraMatches];
}

/**
 * Origins the background must reach: the APIs and the OAuth token endpoint. Chromium ignores
 * the port in a host permission, so `http://127.0.0.1/*` covers every local server.
 */
export function hostPermissions(config: Config): string[] {
  const origins = [config.sellsyTokenUrl, config.sellsyApiUrl, config.alloApiUrl].map(
    (url) => {
      const { protocol, hostname } = new URL(url);
      return `${protocol}//${hostname}/*`;
    },
  );
  return [...new Set(origins)];
}

export const config: Config = readConfig(import.meta.env ?? {});
