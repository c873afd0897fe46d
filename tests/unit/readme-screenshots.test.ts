// @vitest-environment node
/**
 * Issue 26's and issue 20's "done when": the states they added are shown in the README in both
 * languages, and every screenshot the README shows exists (tests/e2e/screenshots holds the
 * copies the e2e runs write to tests/artifacts/screenshots).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const shown = [...readme.matchAll(/!\[[^\]]*\]\((tests\/e2e\/screenshots\/[^)]+\.png)\)/g)].map((match) => match[1]!);

/** Issue 26's states, each by the name its e2e test gives the screenshot (after the language). */
const ISSUE_26_STATES = {
  'production first screen, with “Copy instructions for my administrator”': '0-no-sellsy-access',
  'unmatched e-mail, with the name to pick': 'guide-4-no-match',
  'the options’ Administration section': '7-api-access-confirm',
  'the popup’s one line when all is well': '3-calls',
};

/**
 * Issue 20's states, likewise (item 1: a name search; item 2: the history of a known number;
 * item 3: a call's note; item 4: a follow-up task; item 5: a contact from an unknown number).
 */
const ISSUE_20_STATES = {
  'the side panel’s search by name': 'panel-search-1-found',
  'the side panel’s last calls with a known number': 'panel-7-history',
  'the side panel’s Create contact for a number not in Sellsy': 'panel-8-create-contact',
  'the side panel’s Call back: the button': 'panel-9a-follow-up-idle',
  'the side panel’s Call back: the moment chosen': 'panel-9b-follow-up-form',
  'the side panel’s Call back: the task being created': 'panel-9c-follow-up-creating',
  'the side panel’s Call back: the task created': 'panel-9d-follow-up-created',
  'the side panel’s Call back: refused, with Retry': 'panel-9e-follow-up-failed',
  'the side panel’s Call back: the tasks scopes missing': 'panel-9f-follow-up-no-scope',
};

describe('the README’s screenshots', () => {
  it('are found', () => {
    expect(shown.length).toBeGreaterThan(10);
  });

  it('all exist', () => {
    expect(shown.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  for (const [state, name] of Object.entries({ ...ISSUE_26_STATES, ...ISSUE_20_STATES })) {
    it(`show ${state} in English and in French`, () => {
      for (const lang of ['en-US', 'fr-FR']) expect(shown).toContain(`tests/e2e/screenshots/${lang}-${name}.png`);
    });
  }
});
