import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import type { Plugin } from 'vite';
import { contentMatches, extensionPagesCsp, hostPermissions, readConfig, SEARCH_COMMAND } from './lib/config';
import { trimMetadataModule } from './lib/phone/trim-metadata';

/**
 * Public half of the extension's signing key: it fixes the extension id (and so the OAuth
 * redirect URL `https://mmckljamldhefiejejlhbcojnndnfpon.chromiumapp.org/`) on every machine.
 */
const MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApO52IHlcZ0BnJfKP8WGN8fM36X5Cr1j3CJSHjrdklR/gQAV20t6V7eFDrIC6c5pw6spvV7m4VHqp6ENjAxsErerhXZOLc+IgxQxOkmtUkfIP4bQpfHaz9Xaplrf3KjI5WPtsttD2qdCa26WrNnIPJPUnS2axirfyRtLpYn2rNB8RkW9l8FUzBMMhQs/S9EnaOqDfb+/Za+Qk0khbNHrJkXlNNB0TNXMzSzhv9sHDkr2rCEpP/Cvqn2GfKkGVHo145GOCAkvN1i2iB8zV9XBo3LqS+UxHmaeOu+5CSIg3MPz0xWYe2TileQhnOfVIbmFwVbgA8w5VaYcrYXIvO2tsrQIDAQAB';

const MINIMUM_CHROME_VERSION = '140';

/** libphonenumber's metadata without what only as-you-type formatting reads (lib/phone/trim-metadata.ts). */
function trimPhoneMetadata(): Plugin {
  return {
    name: 'trim-phone-metadata',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]libphonenumber-js[\\/]metadata\.min\.json(?:\.js)?$/.test(id.split('?')[0]!)) return undefined;
      return { code: trimMetadataModule(code), map: null };
    },
  };
}

export default defineConfig({
  vite: () => ({ plugins: [preact(), trimPhoneMetadata()] }),
  // WXT has loaded .env.[mode] into process.env by the time these functions run.
  manifest: () => {
    const config = readConfig(process.env);
    return {
      name: '__MSG_extName__',
      description: '__MSG_extDescription__',
      default_locale: 'en',
      key: MANIFEST_KEY,
      // The first Chrome whose storage.local can be closed to content scripts (setAccessLevel),
      // which is what keeps the tokens and the Allo key away from Sellsy's pages.
      minimum_chrome_version: MINIMUM_CHROME_VERSION,
      // sidePanel: Allo's dialer is shown there when a number is clicked. scripting: the content
      // script is registered on Sellsy app hosts added at run time. activeTab: the popup may read
      // the address of the tab it was opened on, to offer adding it when it looks like Sellsy.
      // notifications: an incoming call nobody answered is shown with Call back and Open in Sellsy.
      permissions: ['storage', 'identity', 'alarms', 'sidePanel', 'scripting', 'activeTab', 'notifications'],
      // An added Sellsy app host is asked for, that host only, in the click that adds it
      // (lib/app-hosts/): white-label addresses can be any https host.
      optional_host_permissions: ['https://*/*'],
      // What an administrator may set by Chrome policy (3rdparty.extensions.<id>); Chrome drops
      // values that do not fit it.
      storage: { managed_schema: 'managed-schema.json' },
      action: { default_title: '__MSG_extName__' },
      // Opens the side panel with its name search focused; the user may change the keys in
      // chrome://extensions/shortcuts. No permission is needed for a command.
      commands: { [SEARCH_COMMAND]: { suggested_key: { default: 'Alt+Shift+A' }, description: '__MSG_commandSearch__' } },
      host_permissions: hostPermissions(config),
      content_security_policy: { extension_pages: extensionPagesCsp(config) },
    };
  },
  hooks: {
    // Content-script matches depend on the build variables, which the entrypoint cannot read
    // when WXT evaluates it at build time.
    'build:manifestGenerated': (_wxt, manifest) => {
      const matches = contentMatches(readConfig(process.env));
      for (const script of manifest.content_scripts ?? []) script.matches = matches;
    },
  },
});
