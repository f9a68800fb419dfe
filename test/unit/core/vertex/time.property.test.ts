import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {formatDuration, parseDurationSeconds, parseTimestampMs} from '../../../../shared/core/vertex/time.js';

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

describe('parseTimestampMs (property)', () => {
  it('parses any instant written with any offset and 0–9 fraction digits, to the millisecond', () => {
    const instant = fc.date({min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true});
    const offset = fc.integer({min: -(23 * 60 + 59), max: 23 * 60 + 59});
    fc.assert(
      fc.property(instant, offset, fc.integer({min: 0, max: 9}), fc.nat({max: 999_999}), (date, offsetMin, digits, subMs) => {
        const local = new Date(date.getTime() + offsetMin * 60_000);
        const fraction = `${pad(local.getUTCMilliseconds(), 3)}${pad(subMs, 6)}`.slice(0, digits);
        const zone = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
        const text =
          `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
          `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
          `${digits ? `.${fraction}` : ''}${zone}`;
        const keptMs = digits === 0 ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
        expect(parseTimestampMs(text)).toBe(date.getTime() - local.getUTCMilliseconds() + keptMs);
      }),
      {numRuns: 500},
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), text => {
      const ms = parseTimestampMs(text);
      expect(ms === undefined || Number.isFinite(ms)).toBe(true);
    }));
  });
});

describe('parseDurationSeconds (property)', () => {
  it('reads back what formatDuration writes, to the nanosecond', () => {
    fc.assert(
      fc.property(fc.nat({max: 10 ** 9}), fc.nat({max: 999_999_999}), (whole, nanos) => {
        const seconds = whole + nanos / 1e9;
        expect(parseDurationSeconds(formatDuration(seconds))).toBeCloseTo(seconds, 5);
      }),
    );
  });
});
