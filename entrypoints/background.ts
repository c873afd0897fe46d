import { config, contentMatches } from '@/lib/config';
import { Connections } from '@/lib/connection/connections';
import { registerHandlers } from '@/lib/register-handlers';
import { isExtensionPage, isTrustedSender } from '@/lib/trusted-sender';

export default defineBackground(() => {
  // Tokens and the Allo key live in storage.local: close it to content scripts.
  void browser.storage.local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
  const id = browser.runtime.id;
  registerHandlers(
    new Connections({ config, identity: browser.identity }),
    (sender) => isTrustedSender(sender, id, contentMatches(config)),
    (sender) => isExtensionPage(sender, id),
  );
});
