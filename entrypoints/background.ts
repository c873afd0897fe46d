import { openAlloWebApp } from '@/lib/allo/open-web-app';
import { config, contentMatches } from '@/lib/config';
import { onMessage } from '@/lib/messaging';
import { isTrustedSender, type SenderInfo } from '@/lib/trusted-sender';

export default defineBackground(() => {
  const trusted = (sender: SenderInfo) =>
    isTrustedSender(sender, browser.runtime.id, contentMatches(config));
  onMessage('openAlloWebApp', ({ sender }) => {
    if (!trusted(sender)) throw new Error('Refused: message from an untrusted sender');
    return openAlloWebApp();
  });
});
