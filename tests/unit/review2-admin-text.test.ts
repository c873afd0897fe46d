/**
 * Review 2 (issue 26, item 1): the instructions a salesperson copies for their administrator.
 */
import { describe, expect, it } from 'vitest';
import { adminInstructionsText } from '@/lib/guide/admin-instructions';

describe('review 2: the instructions for the administrator', () => {
  const say = (key: string, ...subs: string[]) => [key, ...subs].join(' ');
  const text = adminInstructionsText({ redirectUrl: 'https://abc.chromiumapp.org/', extensionId: 'abcdefghijklmnopabcdefghijklmnop' }, say);

  // The text tells the administrator to send the client id "and its secret, if Sellsy shows
  // one", or to set it by Chrome policy: a policy template without the secret would leave a team
  // whose access has one unable to connect. The managed schema has sellsyClientSecret.
  it('the policy template has room for the client secret the text mentions', () => {
    const policy = JSON.parse(text.slice(text.indexOf('{'))) as { '3rdparty': { extensions: Record<string, Record<string, string>> } };
    const values = Object.values(policy['3rdparty'].extensions)[0]!;
    expect(Object.keys(values)).toContain('sellsyClientSecret');
  });
});
