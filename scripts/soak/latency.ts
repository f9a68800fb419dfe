// Detection latency: when the soak's own subscriber received an event, minus when the transition
// truly happened in the simulator (its history, in simulated time; the soak's simulator runs on the
// wall clock, and `offsetMs` corrects any difference measured at the start). Counted once per event
// id, at its first delivery; state changes, deletions (of a finished job noticed at the next sweep,
// by design) and trial changes apart.
import type {ReceivedEvent} from '../../test/truth/truth-records.js';

/** A job as GET /simulator/history gives it. */
export interface HistoryJob {
  readonly name: string;
  readonly displayName: string;
  readonly deleted: boolean;
  readonly scenario: string;
  readonly deleteTime?: string;
  readonly states: ReadonlyArray<{state: string; time: string}>;
  readonly trials: ReadonlyArray<{stage: string; id: string; states: ReadonlyArray<{state: string; time: string}>}>;
  /** The cancels Vertex served the job. */
  readonly cancelRequests?: ReadonlyArray<{time: string}>;
}

/** Percentiles in seconds; `count` events measured, `unmatched` that had no true time to compare with. */
export interface LatencyFigures {
  readonly count: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly maxSeconds: number;
  readonly unmatched: number;
  /** The slowest few, to look into. */
  readonly slowest: ReadonlyArray<{job: string; what: string; seconds: number}>;
}

interface Sample {
  readonly ms: number;
  readonly job: string;
  readonly what: string;
}

/** The three latencies. */
export interface DetectionLatency {
  readonly stateChanges: LatencyFigures;
  readonly deletions: LatencyFigures;
  readonly trials: LatencyFigures;
}

/** Latency of state changes, deletions and trial changes. */
export function detectionLatency(events: readonly ReceivedEvent[], history: readonly HistoryJob[], offsetMs: number): DetectionLatency {
  const byName = new Map(history.map(job => [job.name, job]));
  const seen = new Set<string>();
  const samples = {stateChanges: [] as Sample[], deletions: [] as Sample[], trials: [] as Sample[]};
  const unmatched = {stateChanges: 0, deletions: 0, trials: 0};
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const job = byName.get(event.attributes['ce-nasjob'] ?? '');
    const wall = (time: string | undefined) => (time === undefined ? undefined : Date.parse(time) - offsetMs);
    const kind = event.type.replace('nasmon.nasjob.v1.', '');
    const add = (bucket: keyof DetectionLatency, at: number | undefined, what: string) => {
      if (at === undefined) unmatched[bucket] += 1;
      else samples[bucket].push({ms: event.receivedAtMs - at, job: job!.name, what});
    };
    if (kind === 'stateChanged') {
      add('stateChanges', wall(lastEntryAtOrBefore(job?.states, String(event.data.state), event.receivedAtMs + offsetMs)), String(event.data.state));
    } else if (kind === 'deleted') {
      add('deletions', wall(job?.deleteTime), 'DELETED');
    } else if (kind === 'trialChanged') {
      const trial = event.data.trial as {id?: unknown} | undefined;
      const states = job?.trials.find(t => t.stage === event.data.stage && t.id === String(trial?.id))?.states;
      add('trials', wall(lastEntryAtOrBefore(states, String(event.data.state), event.receivedAtMs + offsetMs)), `${String(event.data.stage)} trial ${String(trial?.id)} ${String(event.data.state)}`);
    }
  }
  return {
    stateChanges: figures(samples.stateChanges, unmatched.stateChanges),
    deletions: figures(samples.deletions, unmatched.deletions),
    trials: figures(samples.trials, unmatched.trials),
  };
}

// The time the state was last entered no later than `simNowMs` (a state can be entered again only by force).
function lastEntryAtOrBefore(states: ReadonlyArray<{state: string; time: string}> | undefined, state: string, simNowMs: number): string | undefined {
  const entries = (states ?? []).filter(entry => entry.state === state || entry.state === `TRIAL_STATE_${state}`);
  return (entries.filter(entry => Date.parse(entry.time) <= simNowMs).at(-1) ?? entries[0])?.time;
}

function figures(samples: readonly Sample[], unmatched: number): LatencyFigures {
  const bySpeed = [...samples].sort((a, b) => a.ms - b.ms);
  const sorted = bySpeed.map(sample => sample.ms);
  const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! / 1000);
  const round = (seconds: number) => Math.round(seconds * 100) / 100;
  return {count: sorted.length, p50Seconds: round(at(0.5)), p95Seconds: round(at(0.95)), maxSeconds: round((sorted.at(-1) ?? 0) / 1000), unmatched,
    slowest: bySpeed.slice(-5).reverse().map(sample => ({job: sample.job, what: sample.what, seconds: round(sample.ms / 1000)})),
  };
}
