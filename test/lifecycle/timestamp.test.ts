import { parseTimestamp } from '../../src/lifecycle/timestamp';

describe('parseTimestamp (describe-images timestamps)', () => {
  test.each<[string, unknown, number | undefined]>([
    ['ISO with Z', '2024-01-01T00:00:00Z', Date.UTC(2024, 0, 1)],
    ['ISO with milliseconds and offset', '2024-02-29T12:34:56.789+02:00', Date.UTC(2024, 1, 29, 10, 34, 56, 789)],
    ['AWS CLI v2 microseconds', '2024-05-01T12:00:00.123456+00:00', Date.UTC(2024, 4, 1, 12) + 123.456],
    ['negative offset', '1999-12-31T23:00:00-05:30', Date.UTC(2000, 0, 1, 4, 30)],
    ['compact offset', '2024-01-01T10:00:00+0530', Date.UTC(2024, 0, 1, 4, 30)],
    ['hour-only offset', '2024-01-01T10:00:00+05', Date.UTC(2024, 0, 1, 5)],
    ['no zone means UTC', '2024-01-01T10:00:00', Date.UTC(2024, 0, 1, 10)],
    ['space separator', '2024-01-01 10:00:00Z', Date.UTC(2024, 0, 1, 10)],
    ['before 1970', '1969-07-20T20:17:40Z', Date.UTC(1969, 6, 20, 20, 17, 40)],
    ['epoch seconds number (AWS CLI v1)', 1704067200.5, Date.UTC(2024, 0, 1) + 500],
    ['epoch seconds text', '1704067200', Date.UTC(2024, 0, 1)],
    ['other formats go to Date.parse', 'Mon, 01 Jan 2024 00:00:00 GMT', Date.UTC(2024, 0, 1)],
    ['a Date', new Date(Date.UTC(2024, 0, 1)), Date.UTC(2024, 0, 1)],
    ['undefined', undefined, undefined],
    ['null', null, undefined],
  ])('%s', (_name, value, expected) => {
    const parsed = parseTimestamp(value);
    if (expected === undefined) {
      expect(parsed).toBeUndefined();
    } else {
      expect(parsed).toBeCloseTo(expected, 6);
    }
  });

  test.each<[string, unknown]>([
    ['garbage', 'yesterday'],
    ['month 13', '2024-13-01T00:00:00Z'],
    ['not a timestamp type', { at: 1 }],
    ['infinite number', Infinity],
  ])('%s is NaN', (_name, value) => {
    expect(parseTimestamp(value)).toBeNaN();
  });

  test('agrees with Date.parse on many ISO strings', () => {
    for (let i = 0; i < 2000; i++) {
      const ms = Date.UTC(1990, 0, 1) + Math.floor(((i * 2654435761) % 1_500_000_000) * 1000) + i;
      const text = new Date(ms).toISOString();
      expect(parseTimestamp(text)).toBe(Date.parse(text));
    }
  });
});
