// The `nasmonEnforcement/{docId}` document: enforce's state of one job (EnforceState), with `dueAt`
// as a Timestamp so that a tick can query what is due. Fields a newer or older writer left out read
// as their defaults; fields of the wrong type are a StoredDataError naming them.
import {FieldValue, Timestamp, type DocumentData, type DocumentSnapshot} from '@google-cloud/firestore';
import {EMPTY_ENFORCE_STATE, type CancelStatus, type CancelTracking, type EnforceState, type TrialMark} from '../../core/enforce/index.js';
import {storedChecks, type StoredChecks} from './stored-data.js';

const CANCEL_STATUSES: readonly CancelStatus[] = ['requested', 'sent', 'refused', 'confirmed', 'failed'];

/** The document data for a job's state. */
export function toEnforceDoc(jobName: string, state: EnforceState): DocumentData {
  return {
    jobName,
    dueAt: state.dueMs === null ? null : Timestamp.fromMillis(state.dueMs),
    policyVersion: state.policyVersion,
    done: {...state.done},
    cancel: state.cancel ? JSON.parse(JSON.stringify(state.cancel)) : null,
    trials: Object.fromEntries(Object.entries(state.trials).map(([key, mark]) => [key, markDoc(mark)])),
    trialsSeen: state.trialsSeen,
    problem: null,
    updatedAt: FieldValue.serverTimestamp(),
  };
}

/** Reads a job's state; the empty state when the document does not exist. */
export function readEnforceState(snapshot: DocumentSnapshot): EnforceState {
  if (!snapshot.exists) return EMPTY_ENFORCE_STATE;
  const c = storedChecks(snapshot.ref.path);
  const data = snapshot.data() ?? {};
  const dueAt: unknown = data.dueAt;
  if (dueAt !== undefined && dueAt !== null && !(dueAt instanceof Timestamp)) c.fail('dueAt', 'a Timestamp', dueAt);
  const done: Record<string, number> = {};
  for (const [key, at] of Object.entries(c.optional(data.done, 'done', c.object) ?? {})) done[key] = c.number(at, `done.${key}`);
  const trials: Record<string, TrialMark> = {};
  for (const [key, raw] of Object.entries(c.optional(data.trials, 'trials', c.object) ?? {})) trials[key] = readMark(c, raw, `trials.${key}`);
  const cancel = c.optional(data.cancel, 'cancel', (value, field) => readCancel(c, value, field));
  return {
    dueMs: dueAt instanceof Timestamp ? dueAt.toMillis() : null,
    policyVersion: c.optional(data.policyVersion, 'policyVersion', c.string) ?? '',
    done,
    trials,
    trialsSeen: c.optional(data.trialsSeen, 'trialsSeen', c.integer) ?? 0,
    ...(cancel ? {cancel} : {}),
  };
}

// Short keys: a job keeps up to 200 marks, and the document is read on every evaluation.
function markDoc(mark: TrialMark): DocumentData {
  return {g: mark.stage, e: mark.endMs, f: mark.failed, ...(mark.seconds === undefined ? {} : {s: mark.seconds})};
}

function readMark(c: StoredChecks, value: unknown, field: string): TrialMark {
  const raw = c.object(value, field);
  const stage = c.string(raw.g, `${field}.g`);
  if (stage !== 'search' && stage !== 'train') c.fail(`${field}.g`, '"search" or "train"', stage);
  const seconds = c.optional(raw.s, `${field}.s`, c.number);
  return {stage: stage as TrialMark['stage'], endMs: c.number(raw.e, `${field}.e`), failed: c.boolean(raw.f, `${field}.f`), ...(seconds === undefined ? {} : {seconds})};
}

function readCancel(c: StoredChecks, value: unknown, field: string): CancelTracking {
  const raw = c.object(value, field);
  const status = c.string(raw.status, `${field}.status`) as CancelStatus;
  if (!CANCEL_STATUSES.includes(status)) c.fail(`${field}.status`, `one of ${CANCEL_STATUSES.join(', ')}`, status);
  const optionalNumbers = ['lastAttemptMs', 'lastSentMs', 'retryAtMs', 'inFlightUntilMs'] as const;
  const numbers = Object.fromEntries(optionalNumbers.flatMap(key => {
    const read = c.optional(raw[key], `${field}.${key}`, c.number);
    return read === undefined ? [] : [[key, read]];
  }));
  const lastError = c.optional(raw.lastError, `${field}.lastError`, c.string);
  const sawCancelling = c.optional(raw.sawCancelling, `${field}.sawCancelling`, c.boolean);
  return {
    rule: c.string(raw.rule, `${field}.rule`), requestedMs: c.number(raw.requestedMs, `${field}.requestedMs`), status,
    attempts: c.integer(raw.attempts, `${field}.attempts`, 1), ...numbers,
    ...(lastError === undefined ? {} : {lastError}), ...(sawCancelling === undefined ? {} : {sawCancelling}),
  };
}
