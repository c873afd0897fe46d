/**
 * Which addresses may count as Sellsy's web app, where the content script links numbers and
 * talks to the background. Where the app lives is known only from public evidence
 * (docs/sellsy-and-allo.md), so a team can add the address its Sellsy really uses; these rules
 * keep that from opening the extension to a site that is not the app.
 */

/** Sellsy's own domains: an address under them looks like Sellsy. */
const SELLSY_DOMAINS = ['sellsy.com', 'sellsy.fr'];

/**
 * Sellsy sites that are not the app: the marketing site, the help centre, the API and the sign-in
 * page, in either of Sellsy's domains and with anything in front (a localised help centre, a
 * `www.`), and the sites software companies usually keep beside their app (a blog, a status page,
 * developer docs, support, training): no evidence says Sellsy has them all, but none is the app.
 * Any script running there could drive the extension, so they are never added, and the popup
 * does not offer them; nor are the bare domains, which lead to the marketing site.
 */
const NOT_THE_APP = new Set(['go', 'help', 'api', 'login', 'blog', 'status', 'docs', 'developers', 'developer', 'support', 'academy', 'community']);

/** Whether a host under Sellsy's domains is one of its sites that are not the app. */
function isNotTheApp(host: string): boolean {
  const domain = SELLSY_DOMAINS.find((known) => host === known || host.endsWith(`.${known}`));
  if (domain === undefined) return false;
  const labels = host.slice(0, -domain.length).split('.').filter(Boolean);
  return labels.length === 0 || labels.some((label) => NOT_THE_APP.has(label));
}

export type AppHostRefusal = 'invalid' | 'not-https' | 'not-the-app';

export type AppHostCheck = { ok: true; host: string; sellsy: boolean } | { ok: false; reason: AppHostRefusal };

/** A host name with at least one dot, in letters, digits and hyphens (after URL's own IDN mapping). */
const HOST = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Under one of Sellsy's domains. */
export function isSellsyDomain(host: string): boolean {
  return SELLSY_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/**
 * Reads what a person typed or an administrator set ("eu.sellsy.com", or a whole address such
 * as "https://eu.sellsy.com/peoples/12") as an app host. Only https: the content script never
 * runs on a page anyone on the network could rewrite. `sellsy` is false for another domain (a
 * white-label address), which the options accept only after a clear warning.
 */
export function checkAppHost(input: string): AppHostCheck {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'invalid' };
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'not-https' };
  if (url.username !== '' || url.password !== '' || url.port !== '') return { ok: false, reason: 'invalid' };
  const host = url.hostname;
  if (!HOST.test(host)) return { ok: false, reason: 'invalid' };
  if (isNotTheApp(host)) return { ok: false, reason: 'not-the-app' };
  return { ok: true, host, sellsy: isSellsyDomain(host) };
}

/** The match pattern (content script, host permission) for an app host. */
export function appHostPattern(host: string): string {
  return `https://${host}/*`;
}

/**
 * Whether a page the user is on looks like Sellsy's app while the extension does not run there:
 * https, under Sellsy's domains, not the marketing or help sites, and not a host it runs on.
 * The popup then offers to add it.
 */
export function looksLikeUnknownSellsyApp(pageUrl: string, runningHosts: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || !isSellsyDomain(url.hostname)) return undefined;
  const check = checkAppHost(url.hostname);
  if (!check.ok || runningHosts.includes(check.host)) return undefined;
  return check.host;
}
