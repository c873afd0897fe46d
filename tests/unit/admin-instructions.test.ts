/**
 * "Copy instructions for my administrator" (issue 26, item 1): the text a salesperson pastes to
 * the Sellsy administrator holds everything they need, in the salesperson's language.
 */
import { beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { t } from '@/components/i18n';
import { adminInstructions } from '@/lib/guide/admin-instructions';
import { SELLSY_SCOPES } from '@/lib/sellsy/scopes';
import { speakLocale } from '../support/locale-messages';

const ID = 'mmckljamldhefiejejlhbcojnndnfpon';
const REDIRECT = `https://${ID}.chromiumapp.org/`;
const build = () => adminInstructions({ redirectUrl: REDIRECT, scopes: SELLSY_SCOPES, extensionId: ID, say: t });

beforeEach(() => fakeBrowser.reset());

it.each(['en', 'fr'] as const)('holds the steps, the redirect URL, the scopes and the policy option (%s)', (locale) => {
  speakLocale(locale);
  const text = build();
  expect(text).toContain(`${REDIRECT}\n`);
  expect(text).toContain(SELLSY_SCOPES.join(' '));
  expect(text).toContain(locale === 'en' ? 'Settings → Developer portal → API V2' : 'Réglages → Portail développeur → API V2');
  expect(text).toMatch(/^1\. .+\n2\. .+\n3\. .+\n4\. .+\n5\. .+$/m);
  // The policy's values, as JSON an administrator pastes, under this extension's id.
  const policy = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as Record<string, { extensions: Record<string, object> }>;
  expect(Object.keys(policy['3rdparty']!.extensions[ID]!)).toEqual(['sellsyClientId', 'sellsyClientSecret']);
  // Every line is written: no message key left where a message is missing.
  expect(text).not.toMatch(/adminText/);
});

it('is written in the salesperson’s language', () => {
  speakLocale('fr');
  expect(build()).toContain('URL de redirection, exactement\u202f:');
  speakLocale('en');
  expect(build()).toContain('Redirect URL, exactly:');
});
