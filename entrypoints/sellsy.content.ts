import { plural } from '@/components/i18n';
import { callTitle, type CallTitleMessages } from '@/lib/allo/call-title';
import { launchCall } from '@/lib/allo/launch-call';
import { answerSellsyPageQuestion } from '@/lib/dialer/record-tab';
import { initClickToCall } from '@/lib/dom/init-click-to-call';
import { showNotice } from '@/lib/dom/show-notice';
import { callTargetSetting, defaultCountrySetting, readUserClickToCallSettings, withManaged } from '@/lib/click-to-call-settings';
import { sendMessage, tabMessaging } from '@/lib/messaging';
import { formatNumber } from '@/lib/phone/format-number';
import { type PagePolicy, parsePagePolicy } from '@/lib/policy/page-policy';

const titleMessages: CallTitleMessages = {
  call: () => browser.i18n.getMessage('callWithAllo'),
  callOwners: (owners) => browser.i18n.getMessage('callOwnerWithAllo', [owners]),
  notInSellsy: () => browser.i18n.getMessage('callNotInSellsy'),
  andMore: (count) => plural('andMoreOwners', count),
};

export default defineContentScript({
  // The build replaces this list with the one from its variables (wxt.config.ts, lib/config.ts):
  // Sellsy's web app only, not its marketing site or help centre.
  matches: ['https://www.sellsy.com/*', 'https://www.sellsy.fr/*'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_idle',
  async main(ctx) {
    // The scan starts with the user's values; the administrator's policy, asked of the
    // background without holding the page's first scan back, wins once known (a new default
    // country rescans). The policy holds secrets, so this script never reads it itself.
    const settings = await readUserClickToCallSettings();
    const callWithAllo = browser.i18n.getMessage('callWithAllo');
    let policy: PagePolicy = {};
    if (ctx.isInvalid) return;
    const clickToCall = initClickToCall({
      signal: ctx.signal,
      defaultCountry: () => settings.defaultCountry,
      // Asked once: it is the same for every number, and a long list has thousands.
      title: () => callWithAllo,
      buttonLabel: ({ e164 }) => browser.i18n.getMessage('callNumberWithAllo', [formatNumber(e164, settings.defaultCountry)]),
      describe: async ({ e164 }) => callTitle(await sendMessage('lookupNumber', { e164 }), titleMessages),
      onCall: (target) =>
        launchCall(target, settings.callTarget, {
          doc: document,
          openWebApp: () => sendMessage('openAlloWebApp'),
          openDialer: async () => (await sendMessage('openDialer', { e164: target.e164 })).outcome,
          notifyFallback: () => showNotice(document, browser.i18n.getMessage('dialerFellBack')),
          notify: (copied) => {
            const number = formatNumber(target.e164, settings.defaultCountry);
            showNotice(document, browser.i18n.getMessage(copied ? 'numberCopied' : 'numberNotCopied', [number]));
          },
        }),
    });
    const refresh = async () => {
      const country = settings.defaultCountry;
      Object.assign(settings, withManaged(await readUserClickToCallSettings(), policy));
      if (settings.defaultCountry !== country) clickToCall.rescan();
    };
    let changed = false;
    const applyPolicy = (raw: unknown, change: boolean) => {
      // A change pushed by the background is newer than the answer to the first question.
      if (!change && changed) return;
      changed ||= change;
      policy = parsePagePolicy(raw);
      return refresh();
    };
    sendMessage('pagePolicy').then(
      (answer) => applyPolicy(answer, false),
      // Refused or no background: the user's values stay, as with no policy.
      () => undefined,
    );
    const unwatch = [
      callTargetSetting.watch(refresh),
      defaultCountrySetting.watch(refresh),
      tabMessaging.onMessage('pagePolicyChanged', ({ data }) => applyPolicy(data, true)),
      // The side panel opens a record link in this tab only if this page says it is Sellsy's app.
      answerSellsyPageQuestion(browser.runtime),
    ];
    ctx.onInvalidated(() => {
      for (const stop of unwatch) stop();
    });
  },
});
