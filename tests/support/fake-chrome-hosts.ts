import type { Browser } from '#imports';

/**
 * Chrome's registered content scripts and granted origins, as far as AppHosts (lib/app-hosts)
 * can see them, with the permission events the background listens to. Registering a script id
 * twice fails, as in Chrome.
 */
export function fakeChromeHosts() {
  const scripts = new Map<string, Browser.scripting.RegisteredContentScript>();
  const granted = new Set<string>();
  const onAdded: Array<() => void> = [];
  const scripting = {
    getRegisteredContentScripts: async ({ ids }: { ids: string[] }) => [...scripts.values()].filter((script) => ids.includes(script.id)),
    registerContentScripts: async (list: Browser.scripting.RegisteredContentScript[]) => {
      for (const script of list) {
        if (scripts.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
        scripts.set(script.id, script);
      }
    },
    updateContentScripts: async (list: Browser.scripting.RegisteredContentScript[]) => {
      for (const script of list) scripts.set(script.id, { ...scripts.get(script.id), ...script });
    },
    unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
      for (const id of ids) scripts.delete(id);
    },
  };
  const permissions = {
    contains: async ({ origins }: { origins: string[] }) => origins.every((origin) => granted.has(origin)),
    remove: async ({ origins }: { origins: string[] }) => {
      for (const origin of origins) granted.delete(origin);
      return true;
    },
    onAdded: { addListener: (listener: () => void) => void onAdded.push(listener) },
    onRemoved: { addListener: () => undefined },
  };
  return { scripts, granted, onAdded, scripting, permissions };
}
