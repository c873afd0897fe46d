import type { TaskLabel } from '../sellsy/tasks';

// Labels whose words say "call back", best first, in the languages Sellsy accounts use.
const PREFERRED = [/rappel/i, /call\s*-?back/i, /appel/i, /\bcall/i, /t[ée]l[ée]phon|phone/i];

/**
 * The label a "Call back" task gets: one named for calling back ("Rappel", "Call back", "Appel"…),
 * else the account's first. Null when Sellsy has none (a task cannot be created without one).
 */
export function pickTaskLabel(labels: readonly TaskLabel[]): TaskLabel | null {
  for (const words of PREFERRED) {
    const found = labels.find((label) => words.test(label.name));
    if (found) return found;
  }
  return labels[0] ?? null;
}
