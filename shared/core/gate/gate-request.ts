import type {GateAction} from '../policy/verdict.js';
import type {JobState} from '../vertex/enums.js';
import type {NasJobDraft} from '../vertex/nas-job.js';

// What the gate understood of one HTTP call: the paths mirror Vertex's (design.md "HTTP API"), so a
// caller switches with a base-URL change. Built by parseGateRequest; every field is already validated.

/** The target of every call. */
interface TargetFields {
  /** A project ID (`my-project`) or number, as the caller wrote it. */
  readonly project: string;
  /** A region, e.g. `us-central1`. */
  readonly location: string;
  /** `projects/{project}/locations/{location}`. */
  readonly parent: string;
}

/** The job of a cancel, delete or get. */
interface JobFields extends TargetFields {
  /** The numeric NasJob ID (Vertex assigns them), as a decimal string. */
  readonly jobId: string;
  /** `projects/{project}/locations/{location}/nasJobs/{jobId}`. */
  readonly name: string;
}

/** `POST /v1/{parent}/nasJobs[?validateOnly=true][&requestId=ID]` with a NasJob body. */
export interface CreateJobRequest extends TargetFields {
  readonly action: 'create';
  /** Evaluate auth, body and policy, but do not create. */
  readonly validateOnly: boolean;
  /** The caller's idempotency key: 1–63 of `[a-z0-9_-]`; a retry with the same key creates nothing new. */
  readonly requestId?: string;
  readonly body: NasJobDraft;
}

/** `POST /v1/{name}:cancel`. */
export interface CancelJobRequest extends JobFields {
  readonly action: 'cancel';
}

/** `DELETE /v1/{name}`. */
export interface DeleteJobRequest extends JobFields {
  readonly action: 'delete';
}

/** `GET /v1/{name}`: served from the Firestore mirror. */
export interface GetJobRequest extends JobFields {
  readonly action: 'get';
}

/** `GET /v1/{parent}/nasJobs[?pageSize=N][&pageToken=T][&filter=F]`: served from the Firestore mirror. */
export interface ListJobsRequest extends TargetFields {
  readonly action: 'list';
  readonly query: ListQuery;
}

/** One parsed gate call. */
export type GateRequest = CreateJobRequest | CancelJobRequest | DeleteJobRequest | GetJobRequest | ListJobsRequest;

// Compile-time check that the union covers exactly the policy engine's actions.
type Covers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _actionsMatch: Covers<GateRequest['action'], GateAction> = true;
void _actionsMatch;

/** Page size when the caller sends none (or 0, per AIP-158). */
export const DEFAULT_PAGE_SIZE = 50;
/** Larger page sizes are lowered to this (AIP-158: coerce, don't refuse). */
export const MAX_PAGE_SIZE = 100;

/** The paging and filter of a list call. */
export interface ListQuery {
  /** 1..MAX_PAGE_SIZE, already defaulted and capped. */
  readonly pageSize: number;
  /** Opaque, from a previous response's `nextPageToken`; absent for the first page. */
  readonly pageToken?: string;
  readonly filter?: ListFilter;
}

/** A list filter: an AND of simple comparisons (the subset of AIP-160 the mirror can answer). */
export interface ListFilter {
  /** The filter as sent, so a page token can be bound to it (AIP-158). */
  readonly text: string;
  readonly terms: readonly FilterTerm[];
}

/** One comparison of a list filter. */
export type FilterTerm =
  | {readonly field: 'state'; readonly op: '=' | '!='; readonly value: JobState}
  | {readonly field: 'displayName'; readonly op: '=' | '!='; readonly value: string}
  | {readonly field: 'createTime'; readonly op: '<' | '<=' | '>' | '>='; readonly value: string}
  | {readonly field: 'label'; readonly key: string; readonly op: '=' | '!='; readonly value: string}
  | {readonly field: 'label'; readonly key: string; readonly op: 'has'};
