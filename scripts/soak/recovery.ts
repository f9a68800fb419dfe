// What the chaos scenarios did and how the system came back, for the soak's report:
// - recovery after a fault window: per target, the first successful poll cycle after the window's
//   end and the largest gap between cycles from then to the check; and when the outbox
//   (`nasmonOutbox`, sampled every second) had published everything written before the end (its
//   oldest document is younger than the end: under a running workload it is seldom empty), and
//   when it was first empty. Compared with two poll intervals (a
//   session that lived through the fault polls again on its own) and two scheduler ticks (a session
//   that died — a crash, a lost lease — is replaced only by the next tick);
// - the crashes the functions logged (one `crashPoint` line each);
// - under clock skew, the cancels enforce sent earlier than the policy's limit on Vertex's clock;
// - after a Pub/Sub emulator restart, the records whose event never arrived, split by when they were
//   observed: shortly before the gate shut (the emulator may have accepted the event and died with
//   it: an emulator loss production would not have) or at any other time (nasmon's).
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {Timestamp, type Firestore} from '@google-cloud/firestore';
import type {ReceivedEvent, RecordedTransition} from '../../test/truth/truth-records.js';

/** One reading of the outbox; `count` undefined when it could not be read (Firestore down). */
export interface OutboxSample {
  readonly atMs: number;
  readonly count?: number;
  /** When its oldest document was written (epoch ms); undefined when it is empty or unreadable. */
  readonly oldestMs?: number;
}

/** How the system came back after one fault window. */
export interface Recovery {
  readonly scenario: string;
  /** Seconds from the window's end to the check (how long recovery could be watched). */
  readonly watchedSeconds: number;
  readonly targets: ReadonlyArray<{
    target: string;
    /** Seconds from the end to the first successful cycle after it; undefined: none before the check. */
    firstCycleSeconds?: number;
    /** The largest gap between successful cycles from the end to the check (from the end to the first cycle included). */
    largestGapAfterSeconds: number;
    /** Successful cycles inside the window. */
    cyclesDuring: number;
  }>;
  /** Seconds from the end to the first reading with nothing left in the outbox from before the end; undefined: never. */
  readonly outboxCaughtUpSeconds?: number;
  /** Seconds from the end to the first reading of an empty outbox; undefined: never empty before the check. */
  readonly outboxEmptySeconds?: number;
  /** The most outbox documents read from the window's start on, and how many readings failed. */
  readonly outboxPeak: number;
  readonly outboxUnreadable: number;
  /** The slowest target's first cycle (or the outbox's catching up, whichever is later), against two intervals and two ticks. */
  readonly recoveredSeconds?: number;
  readonly withinTwoIntervals: boolean;
  readonly withinTwoTicks: boolean;
}

/** Recovery after a window [startMs, endMs], watched until `checkMs`. Pure. */
export function recoveryAfter(input: {
  scenario: string; startMs: number; endMs: number; checkMs: number;
  cycles: ReadonlyMap<string, readonly number[]>; outbox: readonly OutboxSample[];
  pollIntervalMs: number; tickMs: number;
}): Recovery {
  const {startMs, endMs, checkMs} = input;
  const secs = (ms: number) => Math.round(ms / 100) / 10;
  const targets = [...input.cycles].sort(([a], [b]) => a.localeCompare(b)).map(([target, all]) => {
    const times = [...all].sort((a, b) => a - b);
    const after = times.filter(t => t >= endMs && t <= checkMs);
    const points = [endMs, ...after, checkMs];
    let gap = 0;
    for (let i = 1; i < points.length; i++) gap = Math.max(gap, points[i]! - points[i - 1]!);
    return {
      target, ...(after[0] !== undefined ? {firstCycleSeconds: secs(after[0] - endMs)} : {}),
      largestGapAfterSeconds: secs(gap), cyclesDuring: times.filter(t => t >= startMs && t < endMs).length,
    };
  });
  const watched = input.outbox.filter(s => s.atMs >= startMs && s.atMs <= checkMs);
  const afterEnd = (found: OutboxSample | undefined) => (found === undefined ? undefined : secs(found.atMs - endMs));
  const outboxEmpty = afterEnd(watched.find(s => s.atMs >= endMs && s.count === 0));
  const caughtUp = afterEnd(watched.find(s => s.atMs >= endMs && (s.count === 0 || (s.oldestMs !== undefined && s.oldestMs >= endMs))));
  const firsts = targets.map(t => t.firstCycleSeconds);
  const recovered = firsts.some(f => f === undefined) || caughtUp === undefined ? undefined : Math.max(...firsts.map(f => f ?? 0), caughtUp);
  return {
    scenario: input.scenario, watchedSeconds: secs(checkMs - endMs), targets,
    ...(caughtUp !== undefined ? {outboxCaughtUpSeconds: caughtUp} : {}),
    ...(outboxEmpty !== undefined ? {outboxEmptySeconds: outboxEmpty} : {}),
    outboxPeak: Math.max(0, ...watched.map(s => s.count ?? 0)), outboxUnreadable: watched.filter(s => s.count === undefined).length,
    ...(recovered !== undefined ? {recoveredSeconds: recovered} : {}),
    withinTwoIntervals: recovered !== undefined && recovered * 1000 <= 2 * input.pollIntervalMs,
    withinTwoTicks: recovered !== undefined && recovered * 1000 <= 2 * input.tickMs,
  };
}

/** The successful `poll cycle` lines of pollTarget's log (stamped with their receive time), by target. */
export function pollCycleTimes(logFile: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!existsSync(logFile)) return out;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{"receiveTimestamp"') || !line.includes('"poll cycle"')) continue;
    try {
      const entry = JSON.parse(line) as {receiveTimestamp?: string; message?: string; target?: string};
      const at = Date.parse(entry.receiveTimestamp ?? '');
      if (entry.message === 'poll cycle' && entry.target && Number.isFinite(at)) out.set(entry.target, [...(out.get(entry.target) ?? []), at]);
    } catch {
      // a torn line
    }
  }
  return out;
}

/** The crashes the functions logged: by `target point`. Pure over the logs' text. */
export function crashesInLogs(logs: ReadonlyArray<{target: string; text: string}>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const {target, text} of logs) {
    for (const line of text.split('\n')) {
      const match = /"crashPoint":"([a-zA-Z.]+)"/.exec(line);
      if (match) out[`${target} ${match[1]!}`] = (out[`${target} ${match[1]!}`] ?? 0) + 1;
    }
  }
  return out;
}

/** When the last crash was logged (its receive time), or undefined. Pure over the logs' text. */
export function lastCrashMs(logs: ReadonlyArray<{text: string}>): number | undefined {
  let last: number | undefined;
  for (const {text} of logs) {
    for (const line of text.split('\n')) {
      if (!line.includes('"crashPoint"')) continue;
      const at = Date.parse(/"receiveTimestamp":"([^"]+)"/.exec(line)?.[1] ?? '');
      if (Number.isFinite(at)) last = Math.max(last ?? at, at);
    }
  }
  return last;
}

/** The functions' logs under `logDir`. */
export function functionLogs(logDir: string, targets: readonly string[]): Array<{target: string; text: string}> {
  return targets.map(target => ({target, file: join(logDir, `${target}.log`)})).filter(({file}) => existsSync(file)).map(({target, file}) => ({target, text: readFileSync(file, 'utf8')}));
}

/** Reads the outbox's size and its oldest document's age every `everyMs` until stopped. */
export function startOutboxSampler(firestore: Firestore, collection = 'nasmonOutbox', everyMs = 1000) {
  const samples: OutboxSample[] = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const atMs = Date.now();
      try {
        const outbox = firestore.collection(collection);
        const [size, oldest] = await Promise.all([outbox.count().get(), outbox.orderBy('createdAt').limit(1).select('createdAt').get()]);
        const createdAt: unknown = oldest.docs[0]?.get('createdAt');
        const oldestMs = createdAt instanceof Timestamp ? createdAt.toMillis() : undefined;
        samples.push({atMs, count: size.data().count, ...(oldestMs === undefined ? {} : {oldestMs})});
      } catch {
        samples.push({atMs});
      }
      await new Promise(resolve => setTimeout(resolve, Math.max(0, atMs + everyMs - Date.now())));
    }
  };
  const running = loop();
  return {samples: () => [...samples], async stop() { stopped = true; await running; }};
}

/** A job as the simulator's history gives it, with the cancels it served. */
export interface CancelledJob {
  readonly name: string;
  readonly states: ReadonlyArray<{state: string; time: string}>;
  readonly cancelRequests?: ReadonlyArray<{time: string}>;
}

/** Enforce's cancels by the rule that fired, measured on Vertex's (the simulator's) clock. */
export interface EarlyCancels {
  readonly cancels: number;
  /** Cancels Vertex received before the job had used the rule's limit on its own clock. */
  readonly early: number;
  /** How much too early, in seconds: the largest and the median of the early ones. */
  readonly maxEarlySeconds: number;
  readonly medianEarlySeconds: number;
  readonly examples: ReadonlyArray<{job: string; rule: string; measuredSeconds: number; limitSeconds: number}>;
}

/**
 * For each job enforce cancelled (an `enforcement` event with action `cancel`), the first cancel
 * Vertex served minus the moment the rule's clock started on Vertex's clock: the first RUNNING for a
 * run-time rule (`max-run-time`), the job's first state (its creation) for a queue-time rule
 * (`max-queue-time`); the limit is the event's `limitSeconds`. Other rules are left out. Pure.
 */
export function earlyCancels(events: readonly ReceivedEvent[], jobs: readonly CancelledJob[]): EarlyCancels {
  const byId = new Map(jobs.map(job => [job.name.slice(job.name.lastIndexOf('/') + 1), job]));
  const seen = new Set<string>();
  const measured: Array<{job: string; rule: string; measuredSeconds: number; limitSeconds: number; earlyMs: number}> = [];
  for (const event of events) {
    if (!event.type.endsWith('.enforcement') || event.data.action !== 'cancel' || event.data.dryRun === true || seen.has(event.id)) continue;
    seen.add(event.id);
    const kind = event.data.ruleKind === 'max-run-time' ? 'run' : event.data.ruleKind === 'max-queue-time' ? 'queue' : undefined;
    const limitSeconds = Number(event.data.limitSeconds);
    const name = String(event.data.jobName ?? '');
    const job = byId.get(name.slice(name.lastIndexOf('/') + 1));
    const served = job?.cancelRequests?.[0];
    if (kind === undefined || !Number.isFinite(limitSeconds) || !job || !served) continue;
    const from = kind === 'run' ? job.states.find(s => s.state.endsWith('RUNNING'))?.time : job.states[0]?.time;
    if (from === undefined) continue;
    const ms = Date.parse(served.time) - Date.parse(from);
    measured.push({job: job.name, rule: String(event.data.rule), measuredSeconds: Math.round(ms / 100) / 10, limitSeconds, earlyMs: limitSeconds * 1000 - ms});
  }
  const early = measured.filter(m => m.earlyMs > 0).sort((a, b) => b.earlyMs - a.earlyMs);
  const median = early[Math.floor((early.length - 1) / 2)];
  return {
    cancels: measured.length, early: early.length,
    maxEarlySeconds: early[0] ? Math.round(early[0].earlyMs / 100) / 10 : 0,
    medianEarlySeconds: median ? Math.round(median.earlyMs / 100) / 10 : 0,
    examples: early.slice(0, 3).map(({earlyMs: _earlyMs, ...rest}) => rest),
  };
}

/** Records whose event never arrived, by when they were observed relative to the Pub/Sub gate shutting. */
export interface MissingEvents {
  readonly total: number;
  /** Observed within `bandMs` before a shut: the restarted emulator may have taken their events with it. */
  readonly nearShut: number;
  /** Any other time: nasmon's to answer for. */
  readonly other: number;
  readonly bandSeconds: number;
}

/** Splits history entries without an event (see MissingEvents). Times on nasmon's clock. Pure. */
export function classifyMissingEvents(history: readonly RecordedTransition[], events: readonly ReceivedEvent[], shutsMs: readonly number[], bandMs: number): MissingEvents {
  const received = new Set(events.map(event => event.id));
  const missing = history.filter(entry => !received.has(entry.eventId));
  const near = missing.filter(entry => shutsMs.some(shut => Date.parse(entry.observedTime) >= shut - bandMs && Date.parse(entry.observedTime) < shut)).length;
  return {total: missing.length, nearShut: near, other: missing.length - near, bandSeconds: bandMs / 1000};
}
