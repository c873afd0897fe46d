/**
 * The popup says how often this browser looks for calls in Allo, and why (issue 22, item 4):
 * each reason the budget can give, in both languages, with the counts in their plural forms.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { rhythmText } from '@/components/PollRhythmNote';
import { IDLE_BROWSER_INTERVAL_MS, type PollRhythm } from '@/lib/calls/poll-budget';
import { explainRhythm } from '@/lib/calls/poll-rhythm';
import { speakLocale } from '../support/locale-messages';

const MIN = 60_000;
const rhythm = (over: Partial<PollRhythm>): PollRhythm => ({
  intervalMs: MIN,
  activeUsers: 3,
  usersAssumed: false,
  slowed: false,
  idleBrowser: false,
  ...over,
});
// French numbers and punctuation use narrow no-break spaces: compared as plain spaces.
const plain = (text: string | undefined) => text?.replace(/[\u202f\u00a0]/g, ' ');

describe('why this browser looks for calls as often as it does', () => {
  it('says nothing until Allo said what the key allows', () => {
    expect(explainRhythm(undefined, 'extension')).toBeUndefined();
  });

  it('does not look at all while Allo’s integration logs the calls', () => {
    expect(explainRhythm(rhythm({}), 'allo-integration')).toEqual({ polls: false });
    expect(explainRhythm(undefined, 'allo-integration')).toEqual({ polls: false });
  });

  it.each<[string, Partial<PollRhythm>, object]>([
    ['a team sets the pace', { intervalMs: 6 * MIN, activeUsers: 90 }, { every: { unit: 'minute', count: 6 }, why: 'team', users: 90 }],
    ['a small team polls each minute', { intervalMs: MIN, activeUsers: 1 }, { every: { unit: 'minute', count: 1 }, why: 'team', users: 1 }],
    ['a team without USERS_READ is assumed', { intervalMs: 4 * MIN, activeUsers: 50, usersAssumed: true }, { why: 'assumed-team', users: 50 }],
    ['a busy key slows every poll', { intervalMs: 12 * MIN, activeUsers: 90, slowed: true }, { every: { unit: 'minute', count: 12 }, why: 'key-busy' }],
    [
      'an idle browser takes the slowest pace',
      { intervalMs: IDLE_BROWSER_INTERVAL_MS, idleBrowser: true },
      { every: { unit: 'minute', count: 15 }, why: 'idle-browser' },
    ],
    ['an idle browser of a big team is paced by its team', { intervalMs: 40 * MIN, activeUsers: 600, idleBrowser: true }, { why: 'team' }],
    ['hours past an hour and a half', { intervalMs: 3 * 60 * MIN, activeUsers: 1800 }, { every: { unit: 'hour', count: 3 } }],
  ])('%s', (_, given, expected) => {
    expect(explainRhythm(rhythm(given), 'extension')).toMatchObject({ polls: true, ...expected });
  });
});

describe('the sentence the popup shows', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each<[string, Partial<PollRhythm> | 'integration', string, string]>([
    [
      'team',
      { intervalMs: 6 * MIN, activeUsers: 90 },
      'This browser looks for new calls every 6 min: your team has 90 users on this Allo key.',
      'Ce navigateur cherche les nouveaux appels toutes les 6 min : votre équipe a 90 utilisateurs sur cette clé Allo.',
    ],
    [
      'one user, each minute',
      { intervalMs: MIN, activeUsers: 1 },
      'This browser looks for new calls every minute: this Allo key has only one user.',
      'Ce navigateur cherche les nouveaux appels chaque minute : cette clé Allo n’a qu’un utilisateur.',
    ],
    [
      'assumed team',
      { intervalMs: 2 * MIN, activeUsers: 50, usersAssumed: true },
      'This browser looks for new calls every 2 min: Allo does not list this key’s users, so a large team (50 people) is assumed. Your Allo administrator can give the key the right to list users, so calls are looked for more often.',
      'Ce navigateur cherche les nouveaux appels toutes les 2 min : Allo ne donne pas la liste des utilisateurs de cette clé, une grande équipe (50 personnes) est donc supposée. Votre administrateur Allo peut donner à la clé le droit de lister les utilisateurs, pour que les appels soient cherchés plus souvent.',
    ],
    [
      'busy key',
      { intervalMs: 12 * MIN, activeUsers: 90, slowed: true },
      'This browser looks for new calls every 12 min: Allo said the team’s key is busy, so it waits longer between looks.',
      'Ce navigateur cherche les nouveaux appels toutes les 12 min : Allo signale que la clé de l’équipe est très sollicitée, il espace donc ses recherches.',
    ],
    [
      'idle browser',
      { intervalMs: IDLE_BROWSER_INTERVAL_MS, idleBrowser: true },
      'This browser looks for new calls every 15 min: no Sellsy tab is open and no call was made for an hour.',
      'Ce navigateur cherche les nouveaux appels toutes les 15 min : aucun onglet Sellsy n’est ouvert et aucun appel n’a eu lieu depuis une heure.',
    ],
    [
      'hours',
      { intervalMs: 2 * 60 * MIN, activeUsers: 1200 },
      'This browser looks for new calls every 2 hours: your team has 1,200 users on this Allo key.',
      'Ce navigateur cherche les nouveaux appels toutes les 2 h : votre équipe a 1 200 utilisateurs sur cette clé Allo.',
    ],
    [
      'integration',
      'integration',
      'This browser does not look for calls in Allo: Allo’s Sellsy integration adds them to Sellsy.',
      'Ce navigateur ne cherche pas les appels dans Allo : l’intégration Sellsy d’Allo les ajoute à Sellsy.',
    ],
  ])('%s, in English and French', (_, given, english, french) => {
    const explanation = given === 'integration' ? explainRhythm(undefined, 'allo-integration') : explainRhythm(rhythm(given), 'extension');
    speakLocale('en');
    expect(rhythmText(explanation)).toBe(english);
    speakLocale('fr');
    expect(plain(rhythmText(explanation))).toBe(french);
  });

  it('says nothing before Allo answered', () => {
    speakLocale('en');
    expect(rhythmText(explainRhythm(undefined, 'extension'))).toBeUndefined();
  });
});
