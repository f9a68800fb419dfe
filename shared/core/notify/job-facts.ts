import {locationOf, parseNasJobName} from '../vertex/index.js';
import type {EventJob, EventTrialCounts, NotifyEvent} from './notify-event.js';

// Everything a message says about its job, merged from the events being notified (freshest) and the
// job mirror the poller keeps (the configured project ID, trial progress, the best metric so far).

/** The best finished trial of a stage so far. */
export interface BestSoFar {
  readonly trialId: string;
  readonly value: number;
}

/** Trial progress of one stage. */
export interface StageFacts {
  readonly counts?: EventTrialCounts;
  readonly best?: BestSoFar;
}

/** The mirror document of a job (`nasJobs/{id}`), as notify reads it. */
export interface MirroredJob {
  /** The project as configured in NASMON_TARGETS (an ID); job names carry the number. */
  readonly project: string;
  readonly location: string;
  readonly job: EventJob;
  readonly state: string;
  readonly metric?: {readonly metricId: string; readonly goal: string};
  readonly stages: Readonly<Partial<Record<string, StageFacts>>>;
}

/** The job a message is about. */
export interface JobFacts {
  /** The resource name (`ce-nasjob`). */
  readonly name: string;
  readonly jobId?: string;
  /** The project as configured when the mirror knows it, else as written in the name. */
  readonly project: string;
  readonly projectInName: string;
  readonly location: string;
  /** The display name, or the job id when nothing better is known. */
  readonly displayName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly job: EventJob;
  readonly metric?: {readonly metricId: string; readonly goal: string};
  readonly stages: Readonly<Partial<Record<string, StageFacts>>>;
}

/** Merges what the events (in order) and the mirror say about the job named `subject`. */
export function jobFactsOf(subject: string, events: readonly NotifyEvent[], mirror: MirroredJob | undefined): JobFacts {
  const ref = parseNasJobName(subject);
  const where = ref ?? locationOf(subject);
  let job: EventJob = mirror?.job ?? {labels: {}};
  const stages: Partial<Record<string, StageFacts>> = {...mirror?.stages};
  let metric = mirror?.metric;
  for (const event of events) {
    if (event.kind === 'stateChanged' || event.kind === 'deleted') job = {...job, ...event.job, labels: event.job.labels};
    if (event.kind === 'trialChanged' && event.counts) stages[event.stage] = {...stages[event.stage], counts: event.counts};
    if (event.kind === 'bestImproved') {
      stages[event.stage] = {...stages[event.stage], best: {trialId: event.trialId, value: event.value}};
      metric = {goal: 'MAXIMIZE', ...metric, metricId: event.metricId};
    }
  }
  const projectInName = where?.project ?? '';
  return {
    name: subject,
    ...(ref ? {jobId: ref.nasJob} : {}),
    project: mirror?.project ?? projectInName,
    projectInName,
    location: mirror?.location ?? where?.location ?? '',
    displayName: job.displayName || ref?.nasJob || subject,
    labels: job.labels,
    job,
    ...(metric ? {metric} : {}),
    stages,
  };
}
