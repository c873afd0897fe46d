/**
 * "Copy instructions for my administrator" (issue 26, item 1): a salesperson cannot create the
 * company's Sellsy API access; a Sellsy administrator can, in five minutes, if someone hands them
 * what to click, the redirect URL, the scopes and the Chrome policy option. Plain text, for an
 * e-mail or a chat. Pure: the words come from the caller's messages (`say`), so this module
 * needs no browser API and the same text is built in both languages by the tests.
 */

/** The messages this text is written with (public/_locales). */
export type AdminInstructionsKey =
  | 'adminTextTitle'
  | 'adminTextWhy'
  | 'adminTextOpen'
  | 'adminTextCreate'
  | 'adminTextRedirect'
  | 'adminTextScopes'
  | 'adminTextGive'
  | 'adminTextPolicy';

export interface AdminInstructionsInput {
  /** The OAuth redirect URL to register: `identity.getRedirectURL()`, as `getSellsyClient` returns it. */
  redirectUrl: string;
  scopes: readonly string[];
  /** The extension's id: the policy's values live under it. */
  extensionId: string;
  say(key: AdminInstructionsKey, ...substitutions: string[]): string;
}

export function adminInstructions({ redirectUrl, scopes, extensionId, say }: AdminInstructionsInput): string {
  // The policy option as the README shows it, with placeholders the administrator fills in.
  const policy = JSON.stringify(
    { '3rdparty': { extensions: { [extensionId]: { sellsyClientId: '<client id>', sellsyClientSecret: '<secret, only if Sellsy showed one>' } } } },
    null,
    2,
  );
  const steps = [
    say('adminTextOpen'),
    say('adminTextCreate'),
    say('adminTextRedirect', redirectUrl),
    say('adminTextScopes', scopes.join(' ')),
    say('adminTextGive'),
  ];
  return [
    say('adminTextTitle'),
    '',
    say('adminTextWhy'),
    '',
    ...steps.map((step, i) => `${i + 1}. ${step}`),
    '',
    say('adminTextPolicy', extensionId),
    '',
    policy,
    '',
  ].join('\n');
}
