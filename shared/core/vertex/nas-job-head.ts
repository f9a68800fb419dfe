import {JOB_STATE} from './enums.js';
import {decodeTimestamp, enumDecoder, isJsonObject, type Decoder} from './json-fields.js';
import {JsonMessage} from './json-message.js';
import type {NasJob} from './nas-job.js';
import {decodeNasJob, decodeNasJobName} from './parse-nas-job.js';
import {isKnownName} from './proto-enum.js';

// A poll cycle lists every active job, but only the few that changed since the last cycle need the
// whole resource. Decoding 10,000 jobs in full cost more CPU than everything else in a quiet cycle,
// so a listing is first decoded to heads, and a head keeps its JSON only while it may be wanted.

/** The fields a poller compares with what it recorded, decoded and validated like the whole job. */
export interface NasJobHead {
  readonly name: string;
  readonly state: NasJob['state'];
  readonly updateTime?: string;
  /** The listed item, kept only for heads whose whole job may be wanted (see {@link decodeWholeJob}). */
  readonly source?: {readonly json: unknown; readonly path: string};
}

const decodeJobState = enumDecoder(JOB_STATE);

/** Decodes the head of a NasJob; throws PayloadInvalidError like decodeNasJob does for these fields. */
export const decodeNasJobHead: Decoder<NasJobHead> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    name: m.required('name', decodeNasJobName),
    state: m.orDefault('state', decodeJobState, 'JOB_STATE_UNSPECIFIED'),
    ...m.optional('updateTime', decodeTimestamp),
    source: {json: value, path},
  };
};

/** Heads a caller recorded earlier, by job name, after they passed decodeNasJobHead. */
export type RecordedHeads = ReadonlyMap<string, {readonly state: string; readonly updateTime?: string}>;

/**
 * The head of a listed job whose name, state and updateTime are exactly what was recorded: those
 * values were checked when they were recorded, so the checks are skipped (most of a listing's decoding
 * cost, for jobs that did not change). Anything else (another spelling, an enum number, a change)
 * returns undefined and takes the full decodeNasJobHead.
 */
export function recordedHead(value: unknown, recorded: RecordedHeads): NasJobHead | undefined {
  if (!isJsonObject(value)) return undefined;
  const {name, state, updateTime} = value;
  if (typeof name !== 'string' || typeof updateTime !== 'string' || !isKnownName(JOB_STATE, state)) return undefined;
  const entry = recorded.get(name);
  return entry !== undefined && entry.state === state && entry.updateTime === updateTime ? {name, state, updateTime} : undefined;
}

/** The head without its JSON, so the listed item can be collected. */
export function withoutSource(head: NasJobHead): NasJobHead {
  const {source: _dropped, ...rest} = head;
  return rest;
}

/**
 * Decodes the whole job of a head that kept its JSON; throws PayloadInvalidError, naming the path,
 * when some other field is garbage.
 */
export function decodeWholeJob(head: NasJobHead): NasJob {
  if (!head.source) throw new Error(`the listing dropped the JSON of ${head.name}; it cannot be decoded`);
  return decodeNasJob(head.source.json, head.source.path);
}
