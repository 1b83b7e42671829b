/*
 * Timestamps as `aws ecr describe-images` prints them: ISO-8601 strings (AWS CLI v2,
 * for example "2024-05-01T12:34:56.789000+02:00") or epoch seconds as numbers
 * (AWS CLI v1, `--cli-timestamp-format` none, SDK JSON). Parsed once per image,
 * so the common ISO shape has a hand-written parser; anything else goes to Date.parse.
 */

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1000;
}

function two(text: string, index: number): number {
  return digit(text, index) * 10 + digit(text, index + 1);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]`; no zone means UTC. NaN when the
 * text has another shape.
 */
function parseIso(text: string): number {
  const length = text.length;
  if (length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return NaN;
  }
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 32 && separator !== 116) {
    return NaN;
  }
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return NaN;
  }
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) {
    return NaN;
  }
  let index = 19;
  let millis = 0;
  if (index < length && text.charCodeAt(index) === 46) {
    index++;
    let scale = 100;
    const start = index;
    while (index < length) {
      const d = digit(text, index);
      if (d < 0) break;
      millis += d * scale;
      scale /= 10;
      index++;
    }
    if (index === start) return NaN;
    millis = Math.floor(millis);
  }
  let offsetMinutes = 0;
  if (index < length) {
    const zone = text.charCodeAt(index);
    if ((zone === 90 || zone === 122) && index + 1 === length) {
      offsetMinutes = 0;
    } else if (zone === 43 || zone === 45) {
      const sign = zone === 43 ? 1 : -1;
      let hours: number;
      let minutes: number;
      if (length - index === 6 && text.charCodeAt(index + 3) === 58) {
        hours = two(text, index + 1);
        minutes = two(text, index + 4);
      } else if (length - index === 5) {
        hours = two(text, index + 1);
        minutes = two(text, index + 3);
      } else if (length - index === 3) {
        hours = two(text, index + 1);
        minutes = 0;
      } else {
        return NaN;
      }
      if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return NaN;
      offsetMinutes = sign * (hours * 60 + minutes);
    } else {
      return NaN;
    }
  }
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}

/**
 * Milliseconds since the epoch of a describe-images timestamp: a number is epoch
 * seconds (fractions allowed), a string is ISO-8601 (zone-less means UTC) or anything
 * Date.parse reads, a Date is itself. NaN when unreadable; undefined/null stay undefined.
 * @internal
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : NaN;
  if (typeof value === 'string') {
    const iso = parseIso(value);
    if (iso === iso) return iso;
    if (/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
    return Date.parse(value);
  }
  if (value instanceof Date) return value.getTime();
  return NaN;
}
