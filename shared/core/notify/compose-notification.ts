import {describeEvent, headlineOf, inEventOrder, transitionOf} from './describe-event.js';
import {formatClock, formatDuration, formatMetric, formatStatus, secondsBetween, shortState} from './format-text.js';
import type {JobFacts} from './job-facts.js';
import type {NotifyEvent} from './notify-event.js';

// The content of one notification, before it becomes Slack blocks or an email: both renderings
// come from this, so a Slack reader and an email reader learn the same facts.

/** How bad the news is; picks the emoji and colour. */
export type Severity = 'failure' | 'warning' | 'success' | 'info';

/** One labelled fact (`Run time: 2h 05m`). */
export interface Fact {
  readonly label: string;
  readonly value: string;
}

/** A notification about one job, for one or more events. */
export interface Notification {
  readonly severity: Severity;
  /** Plain text: `mnasnet-search: RUNNING → FAILED`. */
  readonly title: string;
  /** `project/location` of the job. */
  readonly where: string;
  readonly facts: readonly Fact[];
  /** The job's error (FAILED, CANCELLED), as `CODE (n): message`. */
  readonly error?: string;
  /** Every event, in order, one line each. */
  readonly events: readonly {readonly time: string; readonly text: string}[];
  readonly link?: {readonly text: string; readonly url: string};
  readonly jobName: string;
}

/** Settings of {@link composeNotification}. */
export interface ComposeOptions {
  /** Link to a job with `{project}`, `{location}` and `{job}` placeholders (NASMON_CONSOLE_JOB_URL). */
  readonly consoleJobUrl: string;
}

/** Composes the notification for `events` (one or a burst) of one job. */
export function composeNotification(job: JobFacts, events: readonly NotifyEvent[], options: ComposeOptions): Notification {
  const ordered = inEventOrder(events);
  const headline = headlineOf(ordered);
  if (!headline) throw new Error('composeNotification needs at least one event');
  const more = ordered.length - 1;
  const link = job.jobId ? {text: 'Open in the Cloud console', url: consoleLink(options.consoleJobUrl, job)} : undefined;
  return {
    severity: severityOf(headline),
    title: `${job.displayName}: ${titleOf(headline)}${more > 0 ? ` (+${more} more update${more === 1 ? '' : 's'})` : ''}`,
    where: `${job.project}/${job.location}`,
    facts: [...jobFacts(job, headline), ...eventFacts(headline)],
    ...(job.job.error && (headline.kind === 'stateChanged' || headline.kind === 'deleted') ? {error: formatStatus(job.job.error)} : {}),
    events: ordered.map(event => ({time: formatClock(event.time), text: describeEvent(event)})),
    ...(link ? {link} : {}),
    jobName: job.name,
  };
}

function titleOf(event: NotifyEvent): string {
  switch (event.kind) {
    case 'stateChanged':
      return event.previousState === null ? `first seen ${shortState(event.state)}` : transitionOf(event.previousState, event.state);
    case 'deleted':
      return 'deleted';
    case 'bestImproved':
      return `new best ${event.metricId} ${formatMetric(event.value)}`;
    case 'enforcement':
      return `${event.dryRun ? '[dry run] ' : ''}${event.action ?? 'enforcement'} (${event.rule ?? 'runtime rule'})`;
    case 'trialChanged':
    case 'request':
      return describeEvent(event);
  }
}

function jobFacts(job: JobFacts, headline: NotifyEvent): Fact[] {
  const facts: Fact[] = [{label: 'Project / location', value: `${job.project}/${job.location}`}];
  const {startTime, createTime, endTime} = job.job;
  const until = endTime ?? headline.time;
  const ran = secondsBetween(startTime, until);
  const queued = secondsBetween(createTime, until);
  if (ran !== undefined) facts.push({label: 'Run time', value: formatDuration(ran)});
  else if (queued !== undefined) facts.push({label: 'Run time', value: `not started; created ${formatDuration(queued)} earlier`});
  for (const [stage, {counts, best} = {}] of Object.entries(job.stages)) {
    if (counts) {
      const of = counts.max ? `/${counts.max}` : '';
      const failed = counts.maxFailed ? ` of ${counts.maxFailed} allowed` : '';
      facts.push({label: `Trials (${stage})`, value: `${counts.succeeded}${of} succeeded, ${counts.running} running, ${counts.infeasible} infeasible${failed}`});
    }
    if (best) facts.push({label: `Best (${stage})`, value: `${job.metric?.metricId ?? 'metric'} ${formatMetric(best.value)} (trial ${best.trialId})`});
  }
  const labels = Object.entries(job.labels).map(([key, value]) => `${key}=${value}`).join(', ');
  if (labels) facts.push({label: 'Labels', value: labels});
  return facts;
}

function eventFacts(event: NotifyEvent): Fact[] {
  switch (event.kind) {
    case 'stateChanged': {
      const facts = [{label: 'Transition', value: `${transitionOf(event.previousState, event.state)}${event.skipped ? ' (states in between not observed)' : ''}`}];
      if (event.previousState !== null && event.dwellSeconds !== null) {
        facts.push({label: `Time in ${shortState(event.previousState)}`, value: formatDuration(event.dwellSeconds)});
      }
      return facts;
    }
    case 'enforcement':
      return [
        {label: 'Rule', value: event.rule ?? '(unnamed)'}, {label: 'Action', value: `${event.action ?? 'unknown'}${event.dryRun ? ' (dry run: nothing was done)' : ''}`},
        ...(event.reason ? [{label: 'Reason', value: event.reason}] : []),
      ];
    case 'request':
      return [
        {label: 'Caller', value: event.caller}, {label: 'Request', value: `${event.action} ${event.target}`}, {label: 'Verdict', value: event.verdict},
        ...(event.violations.length > 0 ? [{label: 'Violations', value: event.violations.join('; ')}] : []),
      ];
    default:
      return [];
  }
}

function severityOf(event: NotifyEvent): Severity {
  const state = shortState(event.state);
  if (event.kind === 'stateChanged') {
    if (state === 'FAILED' || state === 'EXPIRED') return 'failure';
    if (state === 'SUCCEEDED') return 'success';
    return ['CANCELLED', 'CANCELLING', 'PARTIALLY_SUCCEEDED', 'PAUSED'].includes(state) ? 'warning' : 'info';
  }
  if (event.kind === 'enforcement') return event.action === 'cancel-failed' ? 'failure' : 'warning';
  if (event.kind === 'request') return event.verdict === 'denied' || event.verdict === 'failed' ? 'warning' : 'info';
  if (event.kind === 'deleted') return 'warning';
  return event.kind === 'bestImproved' ? 'success' : 'info';
}

/** The console link of the job, each placeholder URL-encoded. */
export function consoleLink(template: string, job: JobFacts): string {
  const values: Record<string, string> = {project: job.project, location: job.location, job: job.jobId ?? ''};
  return template.replace(/\{(project|location|job)\}/g, (_, key: string) => encodeURIComponent(values[key] ?? ''));
}
