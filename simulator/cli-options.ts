// Command-line flags of `npm run simulator`. Every flag takes `--name=value` (or `--name value`);
// a bad one raises CliError naming it, which main.ts reports with exit code 2.
import {MAX_CLOCK_OFFSET_SECONDS, type SimulatorOptions} from './server.js';

export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface CliOptions {
  server: SimulatorOptions & {port: number};
  faultRate: number;
  seedJobs: number;
  seedTarget: {project: string; location: string};
  help: boolean;
}

export const USAGE = `usage: npm run simulator -- [--port=8089] [--host=127.0.0.1] [--seed=1] [--time-scale=1]
       [--initial-state=JOB_STATE_PENDING|JOB_STATE_QUEUED] [--reads-per-minute=600] [--writes-per-minute=60]
       [--fault-rate=0] [--seed-jobs=0] [--seed-target=demo-nasmon/us-central1] [--clock-offset=0]`;

type Setter = (value: string, options: CliOptions) => void;

const FLAGS: Record<string, Setter> = {
  port: (v, o) => (o.server.port = integer('port', v, 0, 65535)),
  host: (v, o) => (o.server.host = nonEmpty('host', v)),
  seed: (v, o) => (o.server.seed = integer('seed', v, -(2 ** 53), 2 ** 53)),
  'time-scale': (v, o) => (o.server.timeScale = decimal('time-scale', v, 0, 1e9)),
  'initial-state': (v, o) => (o.server.initialState = initialState(v)),
  'reads-per-minute': (v, o) => (o.server.readsPerMinute = decimal('reads-per-minute', v, 1, 1e9)),
  'writes-per-minute': (v, o) => (o.server.writesPerMinute = decimal('writes-per-minute', v, 1, 1e9)),
  'fault-rate': (v, o) => (o.faultRate = decimal('fault-rate', v, 0, 1)),
  'seed-jobs': (v, o) => (o.seedJobs = integer('seed-jobs', v, 0, 20_000)),
  'seed-target': (v, o) => (o.seedTarget = target(v)),
  'clock-offset': (v, o) => (o.server.clockOffsetSeconds = decimal('clock-offset', v, -MAX_CLOCK_OFFSET_SECONDS, MAX_CLOCK_OFFSET_SECONDS)),
};

export function parseCliOptions(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    server: {port: 8089},
    faultRate: 0,
    seedJobs: 0,
    seedTarget: {project: 'demo-nasmon', location: 'us-central1'},
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const setter = m ? FLAGS[m[1]!] : undefined;
    if (!m || !setter) throw new CliError(`unknown flag ${JSON.stringify(arg)}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new CliError(`--${m[1]} needs a value`);
    setter(value, options);
  }
  return options;
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) throw new CliError(`--${flag} must be an integer in ${min}..${max} (got ${JSON.stringify(value)})`);
  return n;
}

function decimal(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new CliError(`--${flag} must be a number in ${min}..${max} (got ${JSON.stringify(value)})`);
  }
  return n;
}

function nonEmpty(flag: string, value: string): string {
  if (value === '') throw new CliError(`--${flag} must not be empty`);
  return value;
}

function initialState(value: string): 'JOB_STATE_PENDING' | 'JOB_STATE_QUEUED' {
  const name = value.toUpperCase().startsWith('JOB_STATE_') ? value.toUpperCase() : `JOB_STATE_${value.toUpperCase()}`;
  if (name === 'JOB_STATE_PENDING' || name === 'JOB_STATE_QUEUED') return name;
  throw new CliError(`--initial-state must be JOB_STATE_PENDING or JOB_STATE_QUEUED (got ${JSON.stringify(value)})`);
}

function target(value: string): {project: string; location: string} {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(value);
  if (!m) throw new CliError(`--seed-target must be PROJECT/LOCATION (got ${JSON.stringify(value)})`);
  return {project: m[1]!, location: m[2]!};
}
