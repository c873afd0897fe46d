import type { BackgroundDeps } from '@/lib/background/create-app';

/**
 * Chrome's scripting and permissions for a background built in a test that adds no Sellsy app
 * host: nothing is registered and nothing is allowed (WXT's fake browser implements neither).
 */
export function noAppHosts(): Required<Pick<BackgroundDeps, 'scripting' | 'permissions'>> {
  return {
    scripting: {
      getRegisteredContentScripts: async () => [],
      registerContentScripts: async () => undefined,
      updateContentScripts: async () => undefined,
      unregisterContentScripts: async () => undefined,
    },
    permissions: {
      contains: async () => false,
      remove: async () => false,
      onAdded: { addListener: () => undefined },
      onRemoved: { addListener: () => undefined },
    },
  };
}
