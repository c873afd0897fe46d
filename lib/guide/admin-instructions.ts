import { CALLS_SCOPE, USERS_SCOPE } from '../allo/api-key';
import { SELLSY_SCOPES } from '../sellsy/scopes';

/** What the administrator's instructions are made of, beside the words. */
export interface AdminFacts {
  /** The URL to register on the Sellsy API access (fixed by the extension's id). */
  redirectUrl: string;
  /** The extension's id, under which Chrome's policy sets its values. */
  extensionId: string;
}

/** The sentences the instructions use, by message key (the page's `t`). */
export type AdminWords = (key: AdminInstructionKey, ...substitutions: string[]) => string;

export type AdminInstructionKey =
  | 'adminTextIntro'
  | 'adminTextSellsyHeading'
  | 'apiStepOpen'
  | 'apiStepCreate'
  | 'apiStepRedirect'
  | 'apiStepScopes'
  | 'adminTextSendClient'
  | 'adminTextAlloHeading'
  | 'adminTextAlloKey'
  | 'adminTextPolicyHeading'
  | 'adminTextPolicy';

/**
 * What a salesperson sends their administrator: plain text for the clipboard (a mail or a chat
 * message), built from the redirect URL and scopes the extension really uses, so a person never
 * copies them by hand. The policy part is JSON and cannot be a translated message.
 */
export function adminInstructionsText({ redirectUrl, extensionId }: AdminFacts, say: AdminWords): string {
  const policy = {
    '3rdparty': {
      extensions: {
        // The secret only if Sellsy showed one for the access (leave it out otherwise).
        [extensionId]: { sellsyClientId: '…', sellsyClientSecret: '…', alloApiKey: '…' },
      },
    },
  };
  return [
    say('adminTextIntro'),
    '',
    say('adminTextSellsyHeading'),
    `1. ${say('apiStepOpen')}`,
    `2. ${say('apiStepCreate')}`,
    `3. ${say('apiStepRedirect')} ${redirectUrl}`,
    `4. ${say('apiStepScopes')} ${SELLSY_SCOPES.join(' ')}`,
    `5. ${say('adminTextSendClient')}`,
    '',
    say('adminTextAlloHeading'),
    say('adminTextAlloKey', `${CALLS_SCOPE} ${USERS_SCOPE}`),
    '',
    say('adminTextPolicyHeading'),
    say('adminTextPolicy', extensionId),
    JSON.stringify(policy, null, 2),
  ].join('\n');
}
