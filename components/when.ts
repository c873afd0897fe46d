const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When something happened or will, as a person says it: « il y a 3 min », « demain, 20 h 44 »,
 * « 12 mars, 9 h 05 » (the year only when it is not this one). A date that does not parse (a
 * record from an older version) is "—", never a crash.
 */
export function formatWhen(date: string | number, now: number, locale: string): string {
  const at = new Date(date);
  if (Number.isNaN(at.getTime())) return '—';
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const elapsed = at.getTime() - now;
  if (Math.abs(elapsed) < MINUTE) return relative.format(0, 'second');
  if (Math.abs(elapsed) < HOUR) return relative.format(Math.trunc(elapsed / MINUTE), 'minute');
  const days = calendarDays(at, new Date(now));
  if (Math.abs(days) <= 1) return `${relative.format(days, 'day')}, ${clock(at, locale)}`;
  const sameYear = at.getFullYear() === new Date(now).getFullYear();
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) }).format(at);
  return `${day}, ${clock(at, locale)}`;
}

// Calendar days from `from` to `at` in local time; rounding absorbs a daylight-saving hour.
function calendarDays(at: Date, from: Date): number {
  const midnight = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  return Math.round((midnight(at) - midnight(from)) / DAY);
}

// French running text writes the time « 20 h 44 », not « 20:44 ».
function clock(at: Date, locale: string): string {
  const parts = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).formatToParts(at);
  if (!locale.toLowerCase().startsWith('fr')) return parts.map((part) => part.value).join('');
  const hour = parts.find((part) => part.type === 'hour')?.value ?? '';
  const minute = parts.find((part) => part.type === 'minute')?.value ?? '';
  return `${Number(hour)}\u00a0h\u00a0${minute}`;
}

/**
 * How long a call lasted, as the messages' language writes it: « 45 s », « 2 min 5 s »,
 * « 1 h 4 min » (seconds dropped past an hour).
 */
export function formatDuration(seconds: number, locale: string): string {
  const unit = (value: number, name: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return minutes > 0 ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(hours, 'hour');
  if (minutes > 0) return rest > 0 ? `${unit(minutes, 'minute')} ${unit(rest, 'second')}` : unit(minutes, 'minute');
  return unit(rest, 'second');
}
