// Resource names (vertex-nasjobs-api.md §7). Segments are "[^/]+", as the discovery client validates them.

const LOCATION = /^projects\/([^/]+)\/locations\/([^/]+)$/;
const NAS_JOB = /^projects\/([^/]+)\/locations\/([^/]+)\/nasJobs\/([^/]+)$/;
const TRIAL_DETAIL = /^projects\/([^/]+)\/locations\/([^/]+)\/nasJobs\/([^/]+)\/nasTrialDetails\/([^/]+)$/;
// Vertex returns location-level operations for nasJob deletes, but other resources nest them; accept both.
const OPERATION = /^projects\/([^/]+)\/locations\/([^/]+)\/(?:[^/]+\/[^/]+\/)*operations\/([^/]+)$/;

/** The (project, location) a resource lives in; `project` is an ID or a number, as written in the name. */
export interface LocationRef {
  readonly project: string;
  readonly location: string;
}

/** The parts of `projects/{p}/locations/{l}/nasJobs/{id}`. */
export interface NasJobRef extends LocationRef {
  readonly nasJob: string;
}

/** Parses `projects/{p}/locations/{l}`, or returns `undefined`. */
export function parseLocationName(name: string): LocationRef | undefined {
  const m = LOCATION.exec(name);
  return m ? {project: m[1]!, location: m[2]!} : undefined;
}

/** Parses `projects/{p}/locations/{l}/nasJobs/{id}`, or returns `undefined`. */
export function parseNasJobName(name: string): NasJobRef | undefined {
  const m = NAS_JOB.exec(name);
  return m ? {project: m[1]!, location: m[2]!, nasJob: m[3]!} : undefined;
}

/** True for `projects/{p}/locations/{l}/nasJobs/{id}`. */
export function isNasJobName(name: string): boolean {
  return NAS_JOB.test(name);
}

/** True for `projects/{p}/locations/{l}/nasJobs/{id}/nasTrialDetails/{trial}`. */
export function isNasTrialDetailName(name: string): boolean {
  return TRIAL_DETAIL.test(name);
}

/** True for `projects/{p}/locations/{l}/…/operations/{id}`. */
export function isOperationName(name: string): boolean {
  return OPERATION.test(name);
}

/** The (project, location) of any name that starts with `projects/{p}/locations/{l}`, or `undefined`. */
export function locationOf(name: string): LocationRef | undefined {
  const m = /^projects\/([^/]+)\/locations\/([^/:]+)(?:[/:]|$)/.exec(name);
  return m ? {project: m[1]!, location: m[2]!} : undefined;
}

/** The location's parent name, `projects/{p}/locations/{l}`. */
export function locationName(ref: LocationRef): string {
  return `projects/${ref.project}/locations/${ref.location}`;
}
