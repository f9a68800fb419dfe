// The one place the soak meets test/truth/: the ground-truth checker and the secret scanner.
//
// The soak's stack keeps running while the records are read: the pollers commit transitions and
// publish their events a moment later. So the records are read twice, with a wait in between for
// the events of the first reading to arrive: events of records that only the second reading has
// were published after the first, and are left out, as the records they announce are; an event
// whose record neither reading has stays in, and is a finding.
//
// Two adjustments to the records before the check, each a gap between the checker's model and
// nasmon's documented behaviour (reported to the checker's authors):
// - a gate audit entry names the job as the caller wrote it, with the project's id
//   (`projects/soak-vision/…/nasJobs/ID`), while the simulator names it with the project's number;
//   the checker matches the callers' cancels to the cancels Vertex served by name, so the entries'
//   targets are rewritten to the simulator's names (by the job id, unique across projects);
// - a finished job that is deleted is noticed at the next sweep (NASMON_SWEEP_MINUTES, README "The
//   poller"), not within a few polls, while the checker holds every state to one `visibleAfterMs`:
//   a deletion younger than a sweep period that nasmon has not recorded yet is taken out of the truth.
// And one at the edge of the reading: enforce audits a cancel it sent (`cancel-attempt`, outcome
// `sent`) once Vertex has answered, and the simulator is read after Firestore; cancels Vertex served
// from shortly before the reading on are not counted (nor can they be held against nasmon).
import {readdirSync, statSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import type {Firestore} from '@google-cloud/firestore';
import {EVENT_TYPES} from '../../shared/core/events/nasjob-event.js';
import {checkGroundTruth} from '../../test/truth/check-ground-truth.js';
import {collectTruthRecords} from '../../test/truth/collect-truth-records.js';
import type {FaultWindow} from '../../test/truth/fault-windows.js';
import {isEnforceAudit, jobOfEvent, STATE_EVENT_TYPES, type ReceivedEvent, type TruthRecords} from '../../test/truth/truth-records.js';
import {scanLogsForSecrets, type NamedSecret, type SecretHit} from '../../test/truth/secret-scan.js';
import {classifyMissingEvents, type MissingEvents} from './recovery.js';

/** What the soak reports of the checker. */
export interface CheckerOutcome {
  readonly passed: boolean;
  /** Findings by kind: all zero when it passed. */
  readonly findings: Readonly<Record<string, number>>;
  /** How much it looked at. */
  readonly scanned: Readonly<Record<string, number>>;
  /** Events published after the records were read, left out with their records. */
  readonly lateEventsLeftOut: number;
  /** Deletions younger than a sweep period that nasmon had not recorded yet, not held against it. */
  readonly deletionsNotDueYet: number;
  /** The checker's own lines. */
  readonly lines: readonly string[];
  /** After a Pub/Sub emulator restart: the history entries whose event never arrived, by when they were observed (recovery.ts). */
  readonly missingEvents?: MissingEvents;
}

export interface CheckerInput {
  readonly simulatorUrl: string;
  readonly firestore: Firestore;
  /** The deliveries so far (read again after the wait). */
  readonly events: () => readonly ReceivedEvent[];
  readonly visibleAfterMs: number;
  /** On the simulator's clock. */
  readonly faultWindows: readonly FaultWindow[];
  readonly faultMarginMs: number;
  /** How long to wait for the events of what was read. */
  readonly drainMs: number;
  /** A sweep period and a cycle: how late a deletion of a finished job may be noticed. */
  readonly sweepGraceMs: number;
  /** Simulated minus wall-clock time, in ms. */
  readonly simulatorOffsetMs: number;
  /** Where to write the records of the jobs with findings, when there are any. */
  readonly findingsFile: string;
  /** When the Pub/Sub emulator's gate shut for a restart (wall clock, ms); none: no restart. */
  readonly pubsubShutsMs?: readonly number[];
}

/**
 * A poll cycle observes, commits, then publishes: on a busy machine (or with Vertex faults) the
 * publish can come seconds after the observed time. An event of a record observed this long before
 * the Pub/Sub gate shut may have been accepted by the emulator that was then killed.
 */
const EMULATOR_LOSS_BAND_MS = 10_000;

/** Reads the records, waits for their events, and runs the checker. */
export async function runChecker(input: CheckerInput): Promise<CheckerOutcome> {
  const read = () => collectTruthRecords({simulatorUrl: input.simulatorUrl, firestore: input.firestore, events: []});
  const readFromMs = Date.now() + input.simulatorOffsetMs;
  const first = await read();
  const expected = announcedIds(first);
  const deadline = Date.now() + input.drainMs;
  while (Date.now() < deadline && !covers(input.events(), expected)) await new Promise(resolve => setTimeout(resolve, 250));
  const events = [...input.events()];
  const firstKeys = recordKeys(first);
  const secondKeys = recordKeys(await read());
  const kept = events.filter(event => {
    const key = recordKeyOf(event);
    return key === undefined || firstKeys.has(key) || !secondKeys.has(key);
  });
  const {records, deletionsNotDueYet} = adaptRecords({...first, events: kept}, input.sweepGraceMs, readFromMs - CANCEL_AUDIT_LAG_MS);
  const report = checkGroundTruth(records, {
    visibleAfterMs: input.visibleAfterMs, faultWindows: input.faultWindows, faultMarginMs: input.faultMarginMs,
  });
  if (!report.passed) writeFindings(input.findingsFile, records, report.jobs);
  const shuts = input.pubsubShutsMs ?? [];
  return {
    passed: report.passed, findings: {...report.totals}, scanned: {...report.scanned},
    lateEventsLeftOut: events.length - kept.length, deletionsNotDueYet, lines: report.lines(5),
    ...(shuts.length > 0 ? {missingEvents: classifyMissingEvents(records.history, kept, shuts, EMULATOR_LOSS_BAND_MS)} : {}),
  };
}

/** How long after Vertex served a cancel enforce's audit of it may still be on its way. */
const CANCEL_AUDIT_LAG_MS = 5000;

/** The adjustments described at the top of this file; `countCancelsBeforeMs` on the simulator's clock. */
export function adaptRecords(records: TruthRecords, sweepGraceMs: number, countCancelsBeforeMs: number): {records: TruthRecords; deletionsNotDueYet: number} {
  const byId = new Map(records.truth.jobs.map(job => [job.name.slice(job.name.lastIndexOf('/') + 1), job.name]));
  const audit = records.audit.map(entry => {
    const target = entry.fields.target;
    if (isEnforceAudit(entry) || typeof target !== 'string' || !target.includes('/nasJobs/')) return entry;
    const name = byId.get(target.slice(target.lastIndexOf('/') + 1));
    return name === undefined || name === target ? entry : {...entry, fields: {...entry.fields, target: name}};
  });
  const nowMs = Date.parse(records.truth.now);
  const recordedDeletions = new Set(records.history.filter(entry => entry.state === 'DELETED').map(entry => entry.job));
  let deletionsNotDueYet = 0;
  const jobs = records.truth.jobs.map(whole => {
    const cancels = whole.cancelRequests?.filter(request => Date.parse(request.time) < countCancelsBeforeMs);
    const job = cancels === undefined ? whole : {...whole, cancelRequests: cancels};
    if (job.deleteTime === undefined || recordedDeletions.has(job.name) || nowMs - Date.parse(job.deleteTime) >= sweepGraceMs) return job;
    deletionsNotDueYet += 1;
    const {deleteTime: _deleteTime, ...rest} = job;
    return {...rest, deleted: false};
  });
  return {records: {...records, audit, truth: {...records.truth, jobs}}, deletionsNotDueYet};
}

// Each job with findings (the first 50): the findings, and every record of it, to look into.
function writeFindings(file: string, records: TruthRecords, jobs: ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>): void {
  const about = (job: string) => (value: unknown) => JSON.stringify(value).includes(job.slice(job.lastIndexOf('/') + 1));
  const out = [...jobs].slice(0, 50).map(([job, findings]) => ({
    job, findings: Object.fromEntries(Object.entries(findings).filter(([, lines]) => lines.length > 0)),
    truth: records.truth.jobs.find(j => j.name === job), history: records.history.filter(entry => entry.job === job),
    audit: records.audit.filter(about(job)), events: records.events.filter(event => jobOfEvent(event) === job),
  }));
  writeFileSync(file, JSON.stringify({truthNow: records.truth.now, jobs: out}, null, 1));
}

// The event ids the records announce: history entries and enforcement actions by id; gate audit
// entries by the end of their request event's id.
function announcedIds(records: TruthRecords): {ids: Set<string>; requests: Set<string>} {
  const ids = new Set(records.history.map(entry => entry.eventId));
  const requests = new Set<string>();
  for (const entry of records.audit) {
    if (!isEnforceAudit(entry)) requests.add(entry.id);
    else if (typeof entry.fields.eventId === 'string') ids.add(entry.fields.eventId);
  }
  return {ids, requests};
}

function covers(events: readonly ReceivedEvent[], expected: {ids: Set<string>; requests: Set<string>}): boolean {
  const received = new Set(events.map(event => event.id));
  const requests = new Set(events.filter(e => e.type === EVENT_TYPES.request).map(e => e.id.slice(e.id.lastIndexOf('/requests/') + '/requests/'.length)));
  return [...expected.ids].every(id => received.has(id)) && [...expected.requests].every(id => requests.has(id));
}

/** The record an event announces, as a key; undefined for events no record stands behind (trials). */
function recordKeyOf(event: ReceivedEvent): string | undefined {
  if (STATE_EVENT_TYPES.has(event.type)) return `state:${jobOfEvent(event)}#${String(event.data.sequence)}`;
  if (event.type === EVENT_TYPES.request) return `request:${event.id.slice(event.id.lastIndexOf('/requests/') + '/requests/'.length)}`;
  if (event.type === EVENT_TYPES.enforcement) return `enforcement:${event.id}`;
  return undefined;
}

function recordKeys(records: TruthRecords): Set<string> {
  const keys = new Set(records.history.map(entry => `state:${entry.job}#${entry.sequence}`));
  for (const entry of records.audit) {
    if (!isEnforceAudit(entry)) keys.add(`request:${entry.id}`);
    else if (typeof entry.fields.eventId === 'string') keys.add(`enforcement:${entry.fields.eventId}`);
  }
  return keys;
}

/** Scans every file under `dir` for each secret, in every form the scanner knows (plain, encoded, escaped). */
export async function scanForSecrets(dir: string, secrets: readonly NamedSecret[]): Promise<{files: number; hits: SecretHit[]}> {
  const files = filesUnder(dir);
  const hits = await scanLogsForSecrets(files, secrets);
  return {files: files.length, hits: hits.map(hit => ({...hit, file: relative(process.cwd(), hit.file)}))};
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap(entry => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
