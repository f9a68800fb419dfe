import type {FieldViolation} from '../vertex/error-details.js';
import {memberPath} from './strict-json.js';

// GCP label rules (vertex-nasjobs-api.md §7): the proto allows 64 code points, the GCP-wide rule 63;
// the gate enforces the stricter one, so nothing it accepts can be refused by Vertex for length.

/** At most this many labels per job. */
export const MAX_LABELS = 64;
/** At most this many code points per label key or value. */
export const MAX_LABEL_LENGTH = 63;
/**
 * The label the gate writes on every job it creates (shared/adapters/vertex REQUEST_ID_LABEL): its
 * request key, from the caller's `?requestId=` or made up. Callers may not set it.
 */
export const RESERVED_REQUEST_ID_LABEL = 'request_id';

const KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{Nd}_-]*$/u;
const VALUE = /^[\p{Ll}\p{Lo}\p{Nd}_-]*$/u;
// A request ID ends up as a label value; ASCII only, so it survives every log and header unchanged.
const REQUEST_ID = /^[a-z0-9_-]{1,63}$/;

/** True for a valid `?requestId=`: 1–63 of `[a-z0-9_-]`. */
export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

/** Every problem of a labels map, each at the label's path (`labels.team`, `labels["Bad Key"]`), or `path` for the count. */
export function labelViolations(labels: Readonly<Record<string, string>>, path: string): FieldViolation[] {
  const out: FieldViolation[] = [];
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) out.push({field: path, description: `at most ${MAX_LABELS} labels are allowed, got ${entries.length}`});
  for (const [key, value] of entries) {
    const field = memberPath(path, key);
    const keyLength = [...key].length;
    if (keyLength === 0 || keyLength > MAX_LABEL_LENGTH) {
      out.push({field, description: `label keys must be 1 to ${MAX_LABEL_LENGTH} characters long, got ${keyLength}`});
    } else if (!KEY.test(key)) {
      out.push({field, description: 'label keys must start with a lowercase letter and contain only lowercase letters, digits, "_" and "-"'});
    } else if (key === RESERVED_REQUEST_ID_LABEL) {
      out.push({field, description: `the label "${RESERVED_REQUEST_ID_LABEL}" is reserved: the gate sets it (from ?requestId=, if given)`});
    }
    if (typeof value !== 'string') continue; // reported by the type check
    if ([...value].length > MAX_LABEL_LENGTH) {
      out.push({field, description: `label values must be at most ${MAX_LABEL_LENGTH} characters long, got ${[...value].length}`});
    } else if (!VALUE.test(value)) {
      out.push({field, description: 'label values may contain only lowercase letters, digits, "_" and "-"'});
    }
  }
  return out;
}
