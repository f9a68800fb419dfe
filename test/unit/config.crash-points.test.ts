// NASMON_CRASH_POINTS: the chaos soak's deliberate crashes. Every bad entry is named with its
// reason, all at once, and the variable is refused whenever a production setting is on.
import {describe, expect, it} from 'vitest';
import {ConfigError, CRASH_POINTS, loadCrashPoints} from '../../shared/config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadCrashPoints(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadCrashPoints', () => {
  it('arms nothing when the variable is unset or blank', () => {
    expect(loadCrashPoints({}).size).toBe(0);
    expect(loadCrashPoints({NASMON_CRASH_POINTS: '  '}).size).toBe(0);
  });

  it('reads each point with its probability, blanks around entries allowed', () => {
    const points = loadCrashPoints({NASMON_CRASH_POINTS: 'poll.afterCommit=0.05, poll.midPagination = 0.02,enforce.midCancel=1,'});
    expect([...points]).toEqual([['poll.afterCommit', 0.05], ['poll.midPagination', 0.02], ['enforce.midCancel', 1]]);
  });

  it('accepts every documented point, and 0 (armed on paper, never fires)', () => {
    const all = Object.keys(CRASH_POINTS).map(name => `${name}=0`).join(',');
    expect(loadCrashPoints({NASMON_CRASH_POINTS: all}).size).toBe(7);
  });

  it('names every bad entry with its reason, all at once', () => {
    const problems = problemsOf({NASMON_CRASH_POINTS: 'poll.aftercommit=0.1,poll.afterCommit,enforce.midCancel=1.5,poll.afterPublish=often,poll.afterPublish=0.1,poll.afterPublish=0.2,enforce.beforeCancel=0.1=0.2'});
    expect(problems).toEqual([
      expect.stringMatching(/^NASMON_CRASH_POINTS: "poll\.aftercommit=0\.1" names no crash point; the points are poll\.midPagination, poll\.afterCommit, /),
      'NASMON_CRASH_POINTS: "poll.afterCommit" needs a probability from 0 to 1 (NAME=PROBABILITY, e.g. poll.afterCommit=0.05)',
      'NASMON_CRASH_POINTS: "enforce.midCancel=1.5" needs a probability from 0 to 1 (NAME=PROBABILITY, e.g. enforce.midCancel=0.05)',
      'NASMON_CRASH_POINTS: "poll.afterPublish=often" needs a probability from 0 to 1 (NAME=PROBABILITY, e.g. poll.afterPublish=0.05)',
      'NASMON_CRASH_POINTS: poll.afterPublish is given twice',
      'NASMON_CRASH_POINTS: "enforce.beforeCancel=0.1=0.2" needs a probability from 0 to 1 (NAME=PROBABILITY, e.g. enforce.beforeCancel=0.05)',
    ]);
  });

  it.each([
    [{K_SERVICE: 'pollTarget'}, 'K_SERVICE=pollTarget is set'],
    [{FUNCTION_NAME: 'pollTarget'}, 'FUNCTION_NAME=pollTarget is set'],
    [{NASMON_ENV: 'production'}, 'NASMON_ENV=production'],
  ])('is refused in production (%j)', (marker, named) => {
    expect(problemsOf({NASMON_CRASH_POINTS: 'poll.afterCommit=0.05', ...marker})).toEqual([
      `NASMON_CRASH_POINTS: refused in production (${named}); crash points kill the function's process on purpose, for local chaos runs only`,
    ]);
  });

  it('lets production run when no point is set', () => {
    expect(loadCrashPoints({K_SERVICE: 'pollTarget', NASMON_CRASH_POINTS: ''}).size).toBe(0);
  });
});
