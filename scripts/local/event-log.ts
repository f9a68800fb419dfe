// One readable line per event on nasjob-events, for the local stack's console:
//   time  type  job  what happened
// Jobs are named `project/location/displayName`. Job names carry the project's number, not its id,
// so the names are told the demo's jobs (and so their projects) up front and learn other jobs'
// display names from the events that carry them.
import type {Message} from '@google-cloud/pubsub';

/** What the log knows about names: job resource name → display name, project number → project id. */
export interface EventNames {
  readonly jobs: Map<string, string>;
  readonly projects: Map<string, string>;
}

/** Names that know `jobs` (resource name and display name each). */
export function eventNamesOf(jobs: ReadonlyArray<{name: string; displayName: string; project: string}>): EventNames {
  return {
    jobs: new Map(jobs.map(job => [job.name, job.displayName])),
    projects: new Map(jobs.map(job => [job.name.split('/')[1]!, job.project])),
  };
}

/** Formats an event as one line; remembers the display names it sees in `names`. */
export function formatEventLine(message: Message, names: EventNames = {jobs: new Map(), projects: new Map()}): string {
  const a = message.attributes;
  const data = parse(message);
  const type = (a['ce-type'] ?? '?').replace('nasmon.nasjob.v1.', '');
  const name = a['ce-nasjob'] ?? '';
  const job = data.job as {displayName?: unknown} | undefined;
  if (!names.jobs.has(name) && typeof job?.displayName === 'string') names.jobs.set(name, job.displayName);
  const time = (a['ce-time'] ?? '').slice(11, 19);
  return `${time}  ${type.padEnd(13)} ${labelOf(name, names).padEnd(46)} ${detailOf(type, a, data)}`;
}

// `project/location/displayName` (or `…/id` while the display name is unknown), `project/location` for a parent.
function labelOf(name: string, names: EventNames): string {
  const m = /^projects\/([^/]+)\/locations\/([^/]+)(?:\/nasJobs\/([^/]+))?/.exec(name);
  if (!m) return name;
  const project = names.projects.get(m[1]!) ?? m[1]!;
  return m[3] === undefined ? `${project}/${m[2]}` : `${project}/${m[2]}/${names.jobs.get(name) ?? m[3]}`;
}

function detailOf(type: string, a: Record<string, string>, data: Record<string, unknown>): string {
  switch (type) {
    case 'stateChanged':
      return `${short(a['ce-previousstate'] || 'new')} → ${short(a['ce-state'] ?? '?')}${data.skipped ? ' (states skipped)' : ''}`;
    case 'trialChanged': {
      const trial = data.trial as {id?: string} | undefined;
      return `${data.stage} trial ${trial?.id ?? '?'}: ${short(String(data.previousState ?? 'new'))} → ${short(String(data.state ?? '?'))}`;
    }
    case 'bestImproved':
      return `${data.metricId} ${round(data.previousBest)} → ${round(data.value)} (trial ${data.trialId})`;
    case 'enforcement':
      return `${String(data.action).toUpperCase()}${data.dryRun ? ' (dry run)' : ''} by ${data.rule}: ${data.reason}`;
    case 'request': {
      const violations = (Array.isArray(data.violations) ? data.violations : []).map(violationText);
      return `${data.caller} ${data.action} → ${data.verdict}${data.httpStatus ? ` (${data.httpStatus})` : ''}${violations.length > 0 ? `: ${violations.join('; ')}` : ''}`;
    }
    case 'deleted':
      return 'deleted from Vertex';
    default:
      return short(a['ce-state'] ?? '');
  }
}

// A policy violation of the gate's verdict: `{rule, message, …}`.
function violationText(violation: unknown): string {
  const {rule, message} = (violation ?? {}) as {rule?: unknown; message?: unknown};
  return typeof rule === 'string' ? `${rule}${typeof message === 'string' ? ` (${message})` : ''}` : JSON.stringify(violation);
}

function short(state: string): string {
  return state.replace('JOB_STATE_', '').replace('TRIAL_STATE_', '');
}

function round(value: unknown): string {
  return typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : '–';
}

function parse(message: Message): Record<string, unknown> {
  try {
    return JSON.parse(message.data.toString()) as Record<string, unknown>;
  } catch {
    return {};
  }
}
