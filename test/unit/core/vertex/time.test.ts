import {describe, expect, it} from 'vitest';
import {
  formatDuration,
  formatTimestamp,
  parseDurationSeconds,
  parseTimestampMs,
} from '../../../../shared/core/vertex/time.js';

describe('parseTimestampMs', () => {
  it.each([
    ['no fraction', '2025-07-20T10:02:11Z', Date.UTC(2025, 6, 20, 10, 2, 11)],
    ['3 digits', '2025-07-20T10:02:11.284Z', Date.UTC(2025, 6, 20, 10, 2, 11, 284)],
    ['6 digits (what Vertex emits)', '2023-09-25T18:52:42.092928Z', Date.UTC(2023, 8, 25, 18, 52, 42, 92)],
    ['9 digits', '2025-07-20T10:02:11.999999999Z', Date.UTC(2025, 6, 20, 10, 2, 11, 999)],
    ['1 digit', '2025-07-20T10:02:11.5Z', Date.UTC(2025, 6, 20, 10, 2, 11, 500)],
    ['a positive offset', '2025-07-20T12:02:11+02:00', Date.UTC(2025, 6, 20, 10, 2, 11)],
    ['a negative offset', '2025-07-20T05:32:11.100-04:30', Date.UTC(2025, 6, 20, 10, 2, 11, 100)],
    ['lower-case t and z', '2025-07-20t10:02:11z', Date.UTC(2025, 6, 20, 10, 2, 11)],
    ['a leap day', '2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['the first proto year', '0001-01-01T00:00:00Z', -62135596800000],
    ['the last proto second', '9999-12-31T23:59:59.999999999Z', 253402300799999],
  ])('parses %s', (_, text, expected) => {
    expect(parseTimestampMs(text)).toBe(expected);
  });

  it.each([
    ['a date only', '2025-07-20'],
    ['no zone', '2025-07-20T10:02:11'],
    ['10 fraction digits', '2025-07-20T10:02:11.1234567890Z'],
    ['an empty fraction', '2025-07-20T10:02:11.Z'],
    ['month 13', '2025-13-01T00:00:00Z'],
    ['Feb 29 in a non-leap year', '2025-02-29T00:00:00Z'],
    ['Feb 29 in 1900', '1900-02-29T00:00:00Z'],
    ['April 31', '2025-04-31T00:00:00Z'],
    ['hour 24', '2025-07-20T24:00:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['offset hour 24', '2025-07-20T10:02:11+24:00'],
    ['an offset without colon', '2025-07-20T10:02:11+0200'],
    ['a space separator', '2025-07-20 10:02:11Z'],
    ['trailing text', '2025-07-20T10:02:11Zjunk'],
    ['epoch seconds', '1721469731'],
  ])('rejects %s', (_, text) => {
    expect(parseTimestampMs(text)).toBeUndefined();
  });

  it('formats epoch ms as a UTC string that parses back', () => {
    const ms = Date.UTC(2025, 6, 20, 10, 2, 11, 284);
    expect(formatTimestamp(ms)).toBe('2025-07-20T10:02:11.284Z');
    expect(parseTimestampMs(formatTimestamp(ms))).toBe(ms);
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['1209600s', 1_209_600],
    ['3.5s', 3.5],
    ['0s', 0],
    ['0.000000001s', 1e-9],
    ['-2.25s', -2.25],
    ['315576000000s', 315_576_000_000],
  ])('parses %s', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBeCloseTo(seconds, 12);
  });

  it.each(['', 's', '10', '10m', '1.s', '.5s', '1.0000000001s', '+3s', ' 3s', '3 s', '315576000001s', '1e3s'])(
    'rejects %j',
    text => {
      expect(parseDurationSeconds(text)).toBeUndefined();
    },
  );

  it.each([
    [1209600, '1209600s'],
    [3.5, '3.5s'],
    [0.000000001, '0.000000001s'],
  ])('formats %d as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
