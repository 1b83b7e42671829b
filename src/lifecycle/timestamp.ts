/* eslint-disable no-bitwise -- bit masks, radix digits and digit range checks in hot loops; see the comments at each use */
/*
 * Timestamps as `aws ecr describe-images` prints them: ISO-8601 strings (AWS CLI v2,
 * for example "2024-05-01T12:34:56.789000+02:00") or epoch seconds as numbers
 * (AWS CLI v1, `--cli-timestamp-format` none, SDK JSON). Parsed once per image,
 * so the common ISO shape has a hand-written parser; anything else goes to Date.parse.
 */

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM|±HH]`; no zone means UTC. Fractions
 * below a millisecond are kept (the AWS CLI prints microseconds), so images pushed within
 * the same millisecond still sort by time. NaN when the text has another shape.
 */
function parseIso(text: string): number {
  const length = text.length;
  if (length < 19) return NaN;
  const y0 = digit(text, 0); const y1 = digit(text, 1); const y2 = digit(text, 2); const y3 = digit(text, 3);
  const mo0 = digit(text, 5); const mo1 = digit(text, 6); const d0 = digit(text, 8); const d1 = digit(text, 9);
  const h0 = digit(text, 11); const h1 = digit(text, 12); const mi0 = digit(text, 14); const mi1 = digit(text, 15);
  const s0 = digit(text, 17); const s1 = digit(text, 18);
  // `x >>> 0 > 9` rejects anything but 0..9 (negative values become huge).
  if ((y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 || (y3 >>> 0) > 9 || (mo0 >>> 0) > 9 || (mo1 >>> 0) > 9
    || (d0 >>> 0) > 9 || (d1 >>> 0) > 9 || (h0 >>> 0) > 9 || (h1 >>> 0) > 9 || (mi0 >>> 0) > 9 || (mi1 >>> 0) > 9
    || (s0 >>> 0) > 9 || (s1 >>> 0) > 9) {
    return NaN;
  }
  const separator = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58
    || (separator !== 84 && separator !== 116 && separator !== 32)) {
    return NaN;
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = mo0 * 10 + mo1;
  const day = d0 * 10 + d1;
  const hour = h0 * 10 + h1;
  const minute = mi0 * 10 + mi1;
  const second = s0 * 10 + s1;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] || hour > 23 || minute > 59 || second > 59
    || (month === 2 && day === 29 && !isLeapYear(year))) {
    return NaN;
  }

  let index = 19;
  let millis = 0;
  if (index < length && text.charCodeAt(index) === 46) {
    index++;
    const start = index;
    let scale = 100;
    for (; index < length; index++) {
      const d = digit(text, index);
      if ((d >>> 0) > 9) break;
      millis += d * scale;
      scale /= 10;
    }
    if (index === start) return NaN;
  }

  let offsetMinutes = 0;
  if (index < length) {
    const zone = text.charCodeAt(index);
    const rest = length - index;
    if ((zone === 90 || zone === 122) && rest === 1) {
      offsetMinutes = 0;
    } else if (zone === 43 || zone === 45) {
      let hours: number;
      let minutes: number;
      if (rest === 6 && text.charCodeAt(index + 3) === 58) {
        hours = digit(text, index + 1) * 10 + digit(text, index + 2);
        minutes = digit(text, index + 4) * 10 + digit(text, index + 5);
      } else if (rest === 5) {
        hours = digit(text, index + 1) * 10 + digit(text, index + 2);
        minutes = digit(text, index + 3) * 10 + digit(text, index + 4);
      } else if (rest === 3) {
        hours = digit(text, index + 1) * 10 + digit(text, index + 2);
        minutes = 0;
      } else {
        return NaN;
      }
      if (!(hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59)) return NaN;
      offsetMinutes = (zone === 43 ? 1 : -1) * (hours * 60 + minutes);
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
