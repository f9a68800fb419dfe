// The soak's command line: `npm run soak -- [--duration=10m] [--jobs=2000] [--targets=4] [--callers=4]
// [--seed=N] [--json] [--chaos=sim-faults,…] [--gate-share=0.3] [--poll-interval=2] [--settle=30s]
// [--log-dir=test-artifacts/soak]`. Every problem is reported at once.
import {CHAOS_SCENARIOS, type ChaosName} from './chaos.js';

export interface SoakOptions {
  readonly durationMs: number;
  readonly jobs: number;
  readonly targets: number;
  readonly callers: number;
  readonly seed: number;
  readonly json: boolean;
  readonly chaos: readonly ChaosName[];
  /** Share of the jobs the callers create through the gate; the rest are seeded in the simulator. */
  readonly gateShare: number;
  readonly pollIntervalSeconds: number;
  /** Time after the workload stops before the checker runs. */
  readonly settleMs: number;
  readonly logDir: string;
}

export const USAGE = `usage: npm run soak -- [--duration=10m] [--jobs=2000] [--targets=4] [--callers=4] [--seed=1] [--json]
       [--chaos=${CHAOS_SCENARIOS.join('|')}[,…]] [--gate-share=0.3] [--poll-interval=2] [--settle=20s] [--log-dir=test-artifacts/soak]`;

const DEFAULTS: SoakOptions = {
  durationMs: 600_000, jobs: 2000, targets: 4, callers: 4, seed: 1, json: false, chaos: [],
  gateShare: 0.3, pollIntervalSeconds: 2, settleMs: 20_000, logDir: 'test-artifacts/soak',
};

/** Thrown for a bad command line; its message lists every problem and the usage. */
export class SoakUsageError extends Error {
  override readonly name = 'SoakUsageError';
}

/** Parses the soak's arguments. */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const options: {-readonly [K in keyof SoakOptions]: SoakOptions[K]} = {...DEFAULTS};
  const problems: string[] = [];
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const [name, value] = [match?.[1], match?.[2]];
    const int = (min: number, max: number) => wholeNumber(name!, value, min, max, problems);
    switch (name) {
      case 'duration': options.durationMs = duration(name, value, 10_000, 86_400_000, problems) ?? options.durationMs; break;
      case 'settle': options.settleMs = duration(name, value, 0, 3_600_000, problems) ?? options.settleMs; break;
      case 'jobs': options.jobs = int(1, 100_000) ?? options.jobs; break;
      case 'targets': options.targets = int(1, 4) ?? options.targets; break;
      case 'callers': options.callers = int(1, 16) ?? options.callers; break;
      case 'seed': options.seed = int(0, 2 ** 31) ?? options.seed; break;
      case 'poll-interval': options.pollIntervalSeconds = int(1, 60) ?? options.pollIntervalSeconds; break;
      case 'gate-share': {
        const share = Number(value);
        if (value === undefined || !(share >= 0 && share <= 1)) problems.push(`--gate-share needs a number from 0 to 1, not ${value ?? 'nothing'}`);
        else options.gateShare = share;
        break;
      }
      case 'json':
        if (value !== undefined && value !== 'true' && value !== 'false') problems.push('--json takes no value');
        options.json = value !== 'false';
        break;
      case 'chaos': options.chaos = chaosList(value, problems); break;
      case 'log-dir':
        if (!value) problems.push('--log-dir needs a folder');
        else options.logDir = value;
        break;
      default: problems.push(`unknown argument ${arg}`);
    }
  }
  if (problems.length > 0) throw new SoakUsageError(`${problems.join('\n')}\n${USAGE}`);
  return options;
}

/** `10m`, `90s`, `1m30s`, `500ms` or a bare number of seconds, in milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(text);
  if (!parts || text === '') return undefined;
  const [, h, m, s, ms] = parts;
  return Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number(s ?? 0) * 1000 + Number(ms ?? 0);
}

function duration(name: string, value: string | undefined, min: number, max: number, problems: string[]): number | undefined {
  const ms = value === undefined ? undefined : parseDuration(value);
  if (ms === undefined || ms < min || ms > max) {
    problems.push(`--${name} needs a duration such as 10m, 90s or 1m30s (${min / 1000} s to ${max / 3_600_000} h), not ${value ?? 'nothing'}`);
    return undefined;
  }
  return ms;
}

function wholeNumber(name: string, value: string | undefined, min: number, max: number, problems: string[]): number | undefined {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number < min || number > max) {
    problems.push(`--${name} needs a whole number from ${min} to ${max}, not ${value ?? 'nothing'}`);
    return undefined;
  }
  return number;
}

function chaosList(value: string | undefined, problems: string[]): ChaosName[] {
  const names = (value ?? '').split(',').map(name => name.trim()).filter(Boolean);
  const unknown = names.filter(name => !(CHAOS_SCENARIOS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    problems.push(`--chaos needs scenario names from ${CHAOS_SCENARIOS.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  }
  return [...new Set(names.filter((name): name is ChaosName => (CHAOS_SCENARIOS as readonly string[]).includes(name)))];
}
