const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * W3C date-time in the tenant's own zone with its offset, e.g. `2026-11-22T14:05:09+07:00`
 * (GeoReport v2 requires an offset; residents and clerks read local time).
 */
export function w3cDateTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** The zone's offset from UTC at an instant, in minutes (e.g. +420 for WIB). */
function offsetMinutes(at: Date, timeZone: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(w3cDateTime(at, timeZone));
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A '+' left unencoded in a query string arrives as a space: accept it for the offset's sign.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+\- ]\d{2}:?\d{2})$/;

/**
 * Parses a W3C date-time with its zone (`2010-01-01T00:00:00Z`, `...+07:00`), or a bare date taken
 * as midnight in the tenant's zone. Null for anything else, including impossible dates.
 */
export function parseW3cDateTime(text: string, timeZone: string): Date | null {
  const date = DATE_ONLY.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const utcMidnight = new Date(Date.UTC(y, m - 1, d));
    if (utcMidnight.getUTCMonth() !== m - 1 || utcMidnight.getUTCDate() !== d) return null;
    return new Date(utcMidnight.getTime() - offsetMinutes(utcMidnight, timeZone) * 60_000);
  }
  const t = DATE_TIME.exec(text);
  if (!t) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(t[i] ?? 0));
  const ms = Number((t[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  let offset = 0;
  if (t[8] !== 'Z') {
    const zone = /^([+\- ])(\d{2}):?(\d{2})$/.exec(t[8])!;
    if (Number(zone[2]) > 23 || Number(zone[3]) > 59) return null;
    offset = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]));
  }
  return new Date(local - offset * 60_000);
}
