import {describe, expect, it} from 'vitest';
import {compileSafePattern, matchesPattern, MAX_MATCH_INPUT, type SafePattern} from '../../../../shared/core/policy/safe-pattern.js';

function compiled(source: string): SafePattern {
  const result = compileSafePattern(source);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('compileSafePattern', () => {
  it.each([
    '[a-z][a-z0-9-]{2,62}',
    'cc-[0-9]{4}',
    'projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+',
    '(?:prod|dev)-[a-z]+',
    '(?<env>prod|dev)-[a-z]+',
    '[a-z]+(?:-[a-z0-9]+)?',
    '\\p{Ll}+',
    '[(+*]{1,3}x',
    'a+?b',
    '(?:-[a-z]+){0,1}x',
  ])('accepts %s', source => {
    expect(compileSafePattern(source)).not.toHaveProperty('error');
  });

  it.each([
    ['(a+)+', /catastrophically/],
    ['(a*)*b', /catastrophically/],
    ['(?:[a-z]+-?)+', /catastrophically/],
    ['(a|aa)+', /catastrophically/],
    ['((a|b))*', /catastrophically/],
    ['(?:x{2,})+', /catastrophically/],
    ['(a+){5}', /catastrophically/],
    ['(a)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['(?=a)a', /lookahead/],
    ['(?<!a)b', /lookahead/],
    ['[0-9', /Invalid regular expression: \/\[0-9\/u/],
    ['', /empty/],
    ['x'.repeat(257), /longer than 256/],
  ])('refuses %s', (source, reason) => {
    const result = compileSafePattern(source);

    expect('error' in result ? result.error : '').toMatch(reason);
  });
});

describe('matchesPattern', () => {
  it('matches whole values only, as if anchored', () => {
    const pattern = compiled('cc-[0-9]{4}');

    expect(matchesPattern(pattern, 'cc-1234')).toBe(true);
    expect(matchesPattern(pattern, 'xcc-1234')).toBe(false);
    expect(matchesPattern(pattern, 'cc-12345')).toBe(false);
  });

  it('keeps an alternation inside the anchors', () => {
    const pattern = compiled('prod|dev');

    expect(matchesPattern(pattern, 'prod-x')).toBe(false);
    expect(matchesPattern(pattern, 'dev')).toBe(true);
  });

  it('never matches a value longer than the cap', () => {
    expect(matchesPattern(compiled('a*'), 'a'.repeat(MAX_MATCH_INPUT + 1))).toBe(false);
  });

  it('answers quickly on a hostile value for the patterns it accepts', () => {
    const pattern = compiled('[a-z]+[a-z0-9-]*[a-z0-9]');
    const hostile = `${'a'.repeat(MAX_MATCH_INPUT - 1)}!`;

    const started = performance.now();
    expect(matchesPattern(pattern, hostile)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
