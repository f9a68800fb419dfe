// Trial metrics for the trial curve. The mirror keeps each trial's last state, the counts and the
// best value, but not each finished trial's metric, so the curve reads the job from Vertex (`get`
// carries every trial with its final measurement). The read is remembered per job and per the
// mirror's `trialsUpdateTime`: Vertex is asked again only after the poller saw the trials change,
// so an open page refreshing every few seconds costs one `get` per change, not one per refresh.
import type {TrialReading, TrialsResult} from '../../core/dashboard/index.js';
import type {JobRecord} from '../../core/poll/job-record.js';
import {enumName, type NasJob, type NasTrial} from '../../core/vertex/index.js';
import type {TrialSource} from '../../use-cases/dashboard/dashboard-deps.js';

/** Options of {@link createVertexTrialSource}. */
export interface VertexTrialSourceOptions {
  readonly getNasJob: (name: string) => Promise<NasJob>;
  /** Jobs whose trials are remembered (least recently used dropped first); default 100. */
  readonly cacheSize?: number;
}

/** A TrialSource that reads trials from Vertex, once per change the poller recorded. */
export function createVertexTrialSource(options: VertexTrialSourceOptions): TrialSource {
  const {getNasJob, cacheSize = 100} = options;
  const cache = new Map<string, Promise<TrialsResult>>();
  return {
    trialsOf(record: JobRecord): Promise<TrialsResult> {
      if (Object.keys(record.stages).length === 0) return Promise.resolve({kind: 'none'});
      if (record.deleted) return Promise.resolve({kind: 'unavailable', reason: 'the job is deleted from Vertex, and the mirror keeps no trial metrics'});
      const key = `${record.name}@${record.trialsUpdateTime ?? record.updateTime ?? ''}`;
      const cached = cache.get(key);
      if (cached) {
        cache.delete(key); // re-inserted below: Map order is the LRU order
        cache.set(key, cached);
        return cached;
      }
      const read = getNasJob(record.name).then(job => ({kind: 'trials', trials: readingsOf(job)}) as TrialsResult);
      // A failed read is not remembered: the next refresh tries again.
      read.catch(() => cache.delete(key));
      cache.set(key, read);
      for (const old of cache.keys()) {
        if (cache.size <= cacheSize) break;
        cache.delete(old);
      }
      return read;
    },
  };
}

function readingsOf(job: NasJob): TrialReading[] {
  const output = job.nasJobOutput?.multiTrialJobOutput;
  if (!output) return [];
  return [...output.searchTrials.map(trial => reading('search', trial)), ...output.trainTrials.map(trial => reading('train', trial))];
}

function reading(stage: 'search' | 'train', trial: NasTrial): TrialReading {
  const metrics = Object.fromEntries((trial.finalMeasurement?.metrics ?? []).map(metric => [metric.metricId, metric.value]));
  return {stage, id: trial.id, state: enumName(trial.state), ...(trial.endTime ? {endTime: trial.endTime} : {}), metrics};
}
