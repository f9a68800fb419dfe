import {decodeString, fail, isJsonObject, listDecoder, type Decoder} from './json-fields.js';
import {JsonMessage} from './json-message.js';
import type {ListNasJobsResponse, NasJob} from './nas-job.js';
import type {ListNasTrialDetailsResponse, NasTrialDetail} from './nas-trial.js';
import {decodeNasJobHead, recordedHead, withoutSource, type NasJobHead, type RecordedHeads} from './nas-job-head.js';
import {decodeNasJob} from './parse-nas-job.js';
import {decodeNasTrialDetail} from './parse-nas-trial.js';
import {PayloadInvalidError} from './payload-error.js';

/** A list item that failed to parse; the other items of its page are still usable. */
export interface InvalidItem {
  /** Position in the page. */
  readonly index: number;
  /** JSON path of the item, e.g. `$.nasJobs[3]`. */
  readonly path: string;
  /** The item's `name` when it is at least a string, so a caller can tell "bad" from "gone". */
  readonly name?: string;
  readonly error: PayloadInvalidError;
}

/** One list page decoded item by item: valid items, and the items that failed with their errors. */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly invalid: readonly InvalidItem[];
  /** Absent on the last page; an empty token is normalised to absent. */
  readonly nextPageToken?: string;
}

/** Parses a ListNasJobsResponse; any bad job throws PayloadInvalidError (see {@link parseNasJobsPage}). */
export function parseListNasJobsResponse(json: unknown): ListNasJobsResponse {
  const m = JsonMessage.of(json, '$');
  return {nasJobs: m.orDefault('nasJobs', listDecoder(decodeNasJob), []), ...pageToken(m)};
}

/** Parses a ListNasJobsResponse job by job, so one garbage job does not hide the others. */
export function parseNasJobsPage(json: unknown): ListPage<NasJob> {
  return parsePage(json, 'nasJobs', decodeNasJob);
}

/**
 * Parses a ListNasJobsResponse to job heads, item by item. Heads for which `keepSource` is false
 * drop their JSON at once, so a long listing holds only what the caller may decode in full. A job
 * whose head equals its entry in `recorded` is taken as it is (see recordedHead), without its JSON.
 */
export function parseNasJobHeadsPage(json: unknown, keepSource: (head: NasJobHead) => boolean, recorded?: RecordedHeads): ListPage<NasJobHead> {
  return parsePage(json, 'nasJobs', (item, path) => {
    const unchanged = recorded && recordedHead(item, recorded);
    if (unchanged) return unchanged;
    const head = decodeNasJobHead(item, path);
    return keepSource(head) ? head : withoutSource(head);
  });
}

/** Parses a ListNasTrialDetailsResponse; any bad item throws PayloadInvalidError. */
export function parseListNasTrialDetailsResponse(json: unknown): ListNasTrialDetailsResponse {
  const m = JsonMessage.of(json, '$');
  return {nasTrialDetails: m.orDefault('nasTrialDetails', listDecoder(decodeNasTrialDetail), []), ...pageToken(m)};
}

/** Parses a ListNasTrialDetailsResponse item by item. */
export function parseNasTrialDetailsPage(json: unknown): ListPage<NasTrialDetail> {
  return parsePage(json, 'nasTrialDetails', decodeNasTrialDetail);
}

function parsePage<T>(json: unknown, key: string, decodeItem: Decoder<T>): ListPage<T> {
  const m = JsonMessage.of(json, '$');
  const raw = m.raw(key);
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : fail(m.pathOf(key), 'expected an array', raw);
  const items: T[] = [];
  const invalid: InvalidItem[] = [];
  list.forEach((item: unknown, index) => {
    const path = `${m.pathOf(key)}[${index}]`;
    try {
      items.push(decodeItem(item, path));
    } catch (error) {
      if (!(error instanceof PayloadInvalidError)) throw error;
      invalid.push({index, path, error, ...nameOf(item)});
    }
  });
  return {items, invalid, ...pageToken(m)};
}

function pageToken(m: JsonMessage): {nextPageToken?: string} {
  const token = m.orDefault('nextPageToken', decodeString, '');
  return token === '' ? {} : {nextPageToken: token};
}

function nameOf(item: unknown): {name?: string} {
  return isJsonObject(item) && typeof item['name'] === 'string' ? {name: item['name']} : {};
}
