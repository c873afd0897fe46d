import { plural, t } from '@/components/i18n';
import { createBackgroundApp } from '@/lib/background/create-app';
import { registerHandlers } from '@/lib/background/register-handlers';
import { closeStorageToContentScripts } from '@/lib/connection/close-storage';
import { config, contentMatches, SEARCH_COMMAND } from '@/lib/config';
import { scheduleCallPolling, scheduleContactSync } from '@/lib/background/alarms';
import { chromeGuideTabs, GUIDE_PATH, openGuide, openGuideOnInstall } from '@/lib/guide/open-guide';
import { registerMissedCallClicks } from '@/lib/missed-calls/missed-call-clicks';
import type { MissedCallWords } from '@/lib/missed-calls/missed-call-notifier';
import { isExtensionPage, isTrustedSender, type SenderInfo } from '@/lib/trusted-sender';

export default defineBackground(() => {
  // Registered first and synchronously: Chrome delivers onInstalled only to listeners added at start.
  openGuideOnInstall(browser.runtime.onInstalled, () => openGuide(chromeGuideTabs(browser), browser.runtime.getURL(GUIDE_PATH)));
  // Tokens and the Allo key live in storage.local: close it to content scripts, or store none.
  const storageClosed = closeStorageToContentScripts(browser.storage.local, 'local');
  // The administrator's policy holds the Allo key and the Sellsy client secret: pages get only
  // its call target and country, from the background (pagePolicy).
  void closeStorageToContentScripts(browser.storage.managed, 'managed');
  const id = browser.runtime.id;
  // A missed call's notification, in the messages' language.
  const missedCallWords: MissedCallWords = {
    title: (voicemail) => t(voicemail ? 'missedCallVoicemailTitle' : 'missedCallTitle'),
    caller: (name, others) => (others > 0 ? plural('missedCallOthers', others, name) : name),
    notInSellsy: () => t('missedCallNotInSellsy'),
    callBack: () => t('missedCallBack'),
    openInSellsy: () => t('missedCallOpen'),
  };
  const app = createBackgroundApp({ config, identity: browser.identity, storageClosed, action: browser.action, i18n: browser.i18n, missedCallWords });
  // Synchronously, like onInstalled: a click on a notification wakes a stopped worker.
  registerMissedCallClicks(browser.notifications, app);
  // The build's hosts, and the app hosts added at run time where the content script runs.
  const trusted = (sender: SenderInfo, added: string[]) => isTrustedSender(sender, id, [...contentMatches(config), ...added]);
  registerHandlers(app, {
    isTrusted: (sender) => {
      const added = app.appHostPatterns();
      return Array.isArray(added) ? trusted(sender, added) : added.then((patterns) => trusted(sender, patterns));
    },
    isOwnPage: (sender) => isExtensionPage(sender, id),
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === SEARCH_COMMAND && tab?.windowId !== undefined) void app.openSearch(tab.windowId).catch(() => undefined);
  });
  void scheduleContactSync(browser.alarms, app.syncIfConnected);
  void scheduleCallPolling(browser.alarms, app.logCalls);
  void app.resume();
});
