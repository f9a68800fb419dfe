import type {TrialState} from './enums.js';
import type {EnumValue} from './proto-enum.js';

// Wire types of NasTrial and NasTrialDetail (vertex-nasjobs-api.md §2.3–2.4).
// REST reference: https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.nasJobs#NasTrial

/** NasTrial: one search or train trial; all fields are output only. */
export interface NasTrial {
  /** Service-assigned, numeric-looking (`"1"`, `"2"`); `""` when omitted. */
  readonly id: string;
  /** `STATE_UNSPECIFIED` when omitted. */
  readonly state: EnumValue<TrialState>;
  /** Absent for INFEASIBLE trials that crashed. */
  readonly finalMeasurement?: Measurement;
  readonly startTime?: string;
  /** Set when the trial becomes SUCCEEDED or INFEASIBLE. */
  readonly endTime?: string;
}

/** Measurement (study.proto): the objective values of a trial. */
export interface Measurement {
  /** Duration string. */
  readonly elapsedDuration?: string;
  /** int64 as a decimal string. */
  readonly stepCount?: string;
  readonly metrics: readonly MeasurementMetric[];
}

/** Measurement.Metric: one metric value. */
export interface MeasurementMetric {
  readonly metricId: string;
  /** A double; NaN and ±Infinity arrive as the strings proto3 JSON uses. */
  readonly value: number;
}

/** NasTrialDetail: a search trial, its parameters, and its train trial if it was re-trained. */
export interface NasTrialDetail {
  /** `projects/{p}/locations/{l}/nasJobs/{id}/nasTrialDetails/{trial}`. */
  readonly name: string;
  /** The architecture parameters, a serialized string (JSON in Google's tooling). */
  readonly parameters?: string;
  readonly searchTrial?: NasTrial;
  readonly trainTrial?: NasTrial;
}

/** ListNasTrialDetailsResponse: one page of "top" trial details (best-first, per Google's CLI). */
export interface ListNasTrialDetailsResponse {
  readonly nasTrialDetails: readonly NasTrialDetail[];
  /** Absent on the last page (an empty token means the same). */
  readonly nextPageToken?: string;
}
