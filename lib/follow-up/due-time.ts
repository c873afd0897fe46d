/**
 * When a "Call back" is due, in the user's local time zone (the browser's): the panel offers a
 * few moments and a chosen date. Dates are moved by calendar day and set by wall-clock hour, so
 * "tomorrow 9:00" is 9:00 on a day that changes to or from summer time too.
 */

export type DueChoice = 'later-today' | 'tomorrow' | 'in-two-days' | 'next-week';

export const DUE_CHOICES: readonly DueChoice[] = ['later-today', 'tomorrow', 'in-two-days', 'next-week'];

/** "Later today": two hours from now, rounded up to the quarter hour, as long as it is still today. */
export const LATER_TODAY_MS = 2 * 3_600_000;
const QUARTER_MS = 15 * 60_000;
/** The furthest a follow-up may be due: a date beyond is a typo in the year, not a plan. */
export const MAX_AHEAD_MS = 2 * 365 * 86_400_000;
/** The hour a day-away follow-up is due: the start of a working morning. */
export const MORNING_HOUR = 9;

function atMorning(now: Date, days: number): Date {
  const day = new Date(now.getTime());
  day.setDate(day.getDate() + days);
  day.setHours(MORNING_HOUR, 0, 0, 0);
  return day;
}

/** When the choice falls due from `now`; null for "later today" late in the evening (it would be tomorrow). */
export function dueAt(choice: DueChoice, now: Date): Date | null {
  switch (choice) {
    case 'later-today': {
      const due = new Date(Math.ceil((now.getTime() + LATER_TODAY_MS) / QUARTER_MS) * QUARTER_MS);
      return sameLocalDay(due, now) ? due : null;
    }
    case 'tomorrow':
      return atMorning(now, 1);
    case 'in-two-days':
      return atMorning(now, 2);
    case 'next-week': {
      // The next Monday (never today): a Friday's is three days on, a Sunday's tomorrow.
      const toMonday = (8 - now.getDay()) % 7 || 7;
      return atMorning(now, toMonday);
    }
  }
}

/**
 * A date and time the person chose (`YYYY-MM-DD`, `HH:MM` as the date and time fields give them),
 * in local time; null when it is not a real moment, is already past, or is beyond MAX_AHEAD_MS.
 */
export function dueOn(dateText: string, timeText: string, now: Date): Date | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateText);
  const time = /^(\d{2}):(\d{2})$/.exec(timeText || `0${MORNING_HOUR}:00`);
  if (!date || !time) return null;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const due = new Date(year, month - 1, day, Number(time[1]), Number(time[2]), 0, 0);
  // 31 February, 25:00 and the like roll over: not what was typed.
  if (due.getFullYear() !== year || due.getMonth() !== month - 1 || due.getDate() !== day || due.getHours() !== Number(time[1])) return null;
  const ahead = due.getTime() - now.getTime();
  return ahead > 0 && ahead <= MAX_AHEAD_MS ? due : null;
}

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The moment as ISO 8601 in local time with its offset (`2026-12-07T09:00:00+01:00`), as Sellsy takes a due date. */
export function localIso(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
