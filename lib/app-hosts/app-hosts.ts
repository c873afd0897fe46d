import { type Browser, storage } from '#imports';
import * as v from 'valibot';
import { onePassAtATime } from '../one-pass-at-a-time';
import { type AppHostRefusal, appHostPattern, checkAppHost } from './host-rules';

/** The id of the one content script registered at run time, on every added app host. */
export const EXTRA_HOSTS_SCRIPT_ID = 'sellsy-extra-hosts';
/** Where WXT writes `entrypoints/sellsy.content.ts` in the build: the same script runs there. */
export const CONTENT_SCRIPT_FILE = 'content-scripts/sellsy.js';

/** The parts of `chrome.scripting` this needs. */
export interface ScriptingApi {
  getRegisteredContentScripts(filter: { ids: string[] }): Promise<Array<{ id: string }>>;
  registerContentScripts(scripts: Browser.scripting.RegisteredContentScript[]): Promise<void>;
  updateContentScripts(scripts: Browser.scripting.RegisteredContentScript[]): Promise<void>;
  unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
}

/** The parts of `chrome.permissions` this needs (asking is done by a page, in a click). */
export interface PermissionsApi {
  contains(permissions: { origins: string[] }): Promise<boolean>;
  remove(permissions: { origins: string[] }): Promise<boolean>;
}

export interface AppHostView {
  host: string;
  /** Set by the administrator's policy (the user cannot remove it) or added by the user. */
  source: 'policy' | 'user';
  /** Chrome allows the extension there; until then nothing runs there. */
  granted: boolean;
  /**
   * Allowed, but Chrome refused to register the content script there at the last try: nothing
   * runs there until a later try works (the next change, permission or worker start).
   */
  notStarted?: true;
}

export interface AppHostsView {
  /** The hosts the build runs on (the manifest's content script). */
  builtIn: string[];
  hosts: AppHostView[];
}

export type AddAppHostResult = { ok: true; view: AppHostsView } | { ok: false; reason: AppHostRefusal | 'built-in'; view: AppHostsView };

// The hosts the user added, in `local` (the permission they need is this browser's).
const userAppHostsItem = storage.defineItem<string[]>('local:sellsyAppHosts', { fallback: [], version: 1 });
const StoredHosts = v.array(v.unknown());
// The policy's hosts when last applied: a host the administrator drops gives its permission back
// (a user may have granted it by a click), even when the policy changed while Chrome was closed.
export const policyAppHostsSeen = storage.defineItem<string[]>('local:policyAppHostsSeen', { fallback: [], version: 1 });

/** Calls `listener` when the user's list changes (from another page: a second options window, the popup's offer). */
export function watchUserAppHosts(listener: () => void): () => void {
  return userAppHostsItem.watch(() => listener());
}

async function readUserHosts(): Promise<string[]> {
  const parsed = v.safeParse(StoredHosts, await userAppHostsItem.getValue());
  // A hand-edited or foreign value: keep each item the host rules still allow, skip the rest.
  if (!parsed.success) return [];
  const hosts = parsed.output.flatMap((input) => (typeof input === 'string' ? checkHost(input) : []));
  if (hosts.length < parsed.output.length) console.warn(`Allo for Sellsy: ${parsed.output.length - hosts.length} stored app host(s) skipped.`);
  return [...new Set(hosts)];
}

function checkHost(input: string): string[] {
  const check = checkAppHost(input);
  return check.ok ? [check.host] : [];
}

export interface AppHostsDeps {
  scripting: ScriptingApi;
  permissions: PermissionsApi;
  /** The build's hosts (`WXT_SELLSY_APP_HOSTS`): the manifest already runs there. */
  builtIn: string[];
  /** The hosts the administrator's policy adds. */
  managedHosts: () => Promise<string[]>;
  /**
   * Whether a policy that sets nothing can be believed now (lib/policy/policy-loaded.ts): Chrome
   * may not have loaded it yet. Default: believed.
   */
  policyLoaded?: () => Promise<boolean>;
}

/**
 * Sellsy app hosts added at run time, by the user (options, popup offer) or by policy: the
 * content script is registered there (`scripting.registerContentScripts`, kept by Chrome across
 * restarts and checked again at each start), on the hosts Chrome allows, and removed with them.
 * The background's sender check reads `patterns()`, which must answer at once (see
 * register-handlers.ts), so it is the in-memory copy of what is registered.
 */
export class AppHosts {
  private running: string[] = [];
  private loaded = false;
  /** Hosts the last registration was for when Chrome refused it. */
  private failed: string[] = [];
  // The user's list is read, changed and written back: two changes at once (two quick clicks,
  // the popup's offer beside the options) would each write a list without the other's host.
  private editing: Promise<unknown> = Promise.resolve();
  readonly refresh: () => Promise<void>;

  constructor(private readonly deps: AppHostsDeps) {
    // One registration at a time: two at once would register the same script id twice.
    const pass = onePassAtATime<undefined>(
      () => this.apply(),
      () => undefined,
    );
    this.refresh = () => pass(undefined);
  }

  /**
   * Match patterns of the added hosts the content script runs on. Right after the worker starts
   * they are not read yet, and the answer is a promise: a page's first message is what woke the
   * worker, and it must not be refused for arriving early.
   */
  patterns(): string[] | Promise<string[]> {
    if (this.loaded) return this.running.map(appHostPattern);
    return this.refresh().then(
      () => this.running.map(appHostPattern),
      () => [],
    );
  }

  async view(policy?: string[]): Promise<AppHostsView> {
    const [managed, stored] = await Promise.all([policy ?? this.managed(), readUserHosts()]);
    // A host a later build runs on by itself is not registered again (the page would run the
    // script twice); it stays stored, and comes back if a build drops it.
    const user = stored.filter((host) => !this.deps.builtIn.includes(host));
    const hosts: AppHostView[] = [];
    for (const [source, list] of [
      ['policy', managed],
      ['user', user],
    ] as const) {
      for (const host of list) {
        if (hosts.some((known) => known.host === host)) continue;
        const granted = await this.granted(host);
        hosts.push({ host, source, granted, ...(granted && this.failed.includes(host) && !this.running.includes(host) ? { notStarted: true } : {}) });
      }
    }
    return { builtIn: this.deps.builtIn, hosts };
  }

  /**
   * Adds a host the user typed or accepted. The page asked Chrome for it in the click that
   * sent this; if Chrome has not allowed it (yet), it is kept and runs once allowed
   * (`permissions.onAdded` calls `refresh`).
   */
  add(input: string): Promise<AddAppHostResult> {
    return this.oneEditAtATime(() => this.addNow(input));
  }

  /** Removes a host the user added: the content script stops there and the permission goes. */
  remove(host: string): Promise<AppHostsView> {
    return this.oneEditAtATime(() => this.removeNow(host));
  }

  private oneEditAtATime<T>(edit: () => Promise<T>): Promise<T> {
    const next = this.editing.then(edit, edit);
    this.editing = next.catch(() => undefined);
    return next;
  }

  private async addNow(input: string): Promise<AddAppHostResult> {
    const check = checkAppHost(input);
    if (!check.ok) return { ok: false, reason: check.reason, view: await this.view() };
    if (this.deps.builtIn.includes(check.host)) return { ok: false, reason: 'built-in', view: await this.view() };
    // A host the policy lists is the administrator's: a click on it (Allow, the popup's offer)
    // only grants it, and it goes when the policy drops it. Kept as the user's, it would stay.
    const [user, policy] = await Promise.all([readUserHosts(), this.managed()]);
    if (!user.includes(check.host) && !policy.includes(check.host)) await userAppHostsItem.setValue([...user, check.host]);
    // The host is kept either way; a registration Chrome refused is said in the view (notStarted).
    await this.refresh().catch((error: unknown) => console.error('Allo for Sellsy: the content script could not be registered on the added hosts', error));
    return { ok: true, view: await this.view() };
  }

  private async removeNow(host: string): Promise<AppHostsView> {
    const user = await readUserHosts();
    if (user.includes(host)) {
      await userAppHostsItem.setValue(user.filter((known) => known !== host));
      try {
        await this.refresh();
      } finally {
        // Taken back even when Chrome failed to update the script: without it nothing runs there.
        if (!(await this.managed()).includes(host)) {
          await this.deps.permissions.remove({ origins: [appHostPattern(host)] }).catch(() => false);
        }
      }
    }
    return this.view();
  }

  /**
   * Takes back the permission of each host the policy had and no longer has, unless the user
   * added it too (read again just before: she may have added it while this pass ran).
   */
  private async giveBackDroppedPolicyHosts(policy: string[], listed: string[]): Promise<void> {
    const known = await this.policyHostsSeen();
    for (const host of known) {
      if (policy.includes(host) || listed.includes(host) || this.deps.builtIn.includes(host)) continue;
      if ((await readUserHosts()).includes(host)) continue;
      await this.deps.permissions.remove({ origins: [appHostPattern(host)] }).catch(() => false);
    }
    if (policy.length !== known.length || policy.some((host) => !known.includes(host))) await policyAppHostsSeen.setValue(policy);
  }

  private async policyHostsSeen(): Promise<string[]> {
    const seen = v.safeParse(v.array(v.string()), await policyAppHostsSeen.getValue());
    return seen.success ? seen.output : [];
  }

  private async policyLoaded(): Promise<boolean> {
    return (await this.deps.policyLoaded?.().catch(() => false)) ?? true;
  }

  private async managed(): Promise<string[]> {
    const hosts = await this.deps.managedHosts().catch(() => []);
    return hosts.filter((host) => !this.deps.builtIn.includes(host));
  }

  private granted(host: string): Promise<boolean> {
    return this.deps.permissions.contains({ origins: [appHostPattern(host)] }).catch(() => false);
  }

  /** Registers the content script on exactly the added hosts Chrome allows. */
  private async apply(): Promise<void> {
    // A policy that cannot be read now is not an empty policy: nothing changes until it can.
    let policy = (await this.deps.managedHosts()).filter((host) => !this.deps.builtIn.includes(host));
    // Nor is one Chrome may not have loaded yet: the hosts it listed when last seen hold until
    // it is believed, so no permission is given back and no script taken away for nothing.
    if (policy.length === 0 && !(await this.policyLoaded())) policy = await this.policyHostsSeen();
    const { hosts } = await this.view(policy);
    await this.giveBackDroppedPolicyHosts(
      policy,
      hosts.map((known) => known.host),
    );
    const wanted = hosts.filter((host) => host.granted).map((host) => host.host);
    // A host that goes stops being trusted now, even if Chrome then fails to update the script;
    // a host that comes is trusted only once the script is registered there.
    this.running = this.running.filter((host) => wanted.includes(host));
    const { scripting } = this.deps;
    const registered = (await scripting.getRegisteredContentScripts({ ids: [EXTRA_HOSTS_SCRIPT_ID] })).length > 0;
    if (wanted.length === 0) {
      if (registered) await scripting.unregisterContentScripts({ ids: [EXTRA_HOSTS_SCRIPT_ID] });
    } else {
      // As the manifest's content script: every frame, about:blank frames through their opener.
      const script: Browser.scripting.RegisteredContentScript = {
        id: EXTRA_HOSTS_SCRIPT_ID,
        matches: wanted.map(appHostPattern),
        js: [CONTENT_SCRIPT_FILE],
        allFrames: true,
        matchOriginAsFallback: true,
        runAt: 'document_idle',
        persistAcrossSessions: true,
      };
      try {
        await (registered ? scripting.updateContentScripts([script]) : scripting.registerContentScripts([script]));
      } catch (error) {
        this.failed = wanted;
        throw error;
      }
    }
    this.failed = [];
    this.running = wanted;
    this.loaded = true;
  }
}
