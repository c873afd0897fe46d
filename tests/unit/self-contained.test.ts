// @vitest-environment node
/**
 * The repository explains itself: a person who clones it has nothing else, so no tracked file may
 * point at the team's notes outside it. Architecture, API facts and testing live in `docs/`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

// Spelled in pieces so this file does not match itself.
const OUTSIDE = new RegExp(['\\.\\./', 'shared'].join(''));

it('no tracked file refers to documents outside the repository', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  const binary = /\.(png|jpe?g|gif|ico|zip|woff2?)$/i;
  const offenders = files.filter((file) => !binary.test(file) && OUTSIDE.test(readFileSync(file, 'utf8')));
  expect(offenders).toEqual([]);
});
