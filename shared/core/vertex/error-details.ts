import type {JsonObject} from './custom-job-spec.js';
import {
  decodeDuration,
  decodeInt64,
  decodeString,
  decodeStringMap,
  isJsonObject,
  listDecoder,
  type Decoder,
} from './json-fields.js';
import {JsonMessage} from './json-message.js';
import {PayloadInvalidError} from './payload-error.js';
import {parseDurationSeconds} from './time.js';

// google/rpc/error_details.proto, in the `details` of Google's error envelope (vertex-nasjobs-api.md §5).
// REST reference: https://cloud.google.com/apis/design/errors#error_details

/** QuotaFailure.Violation: which quota was exceeded. */
export interface QuotaViolation {
  readonly subject: string;
  readonly description: string;
  readonly apiService?: string;
  /** e.g. `aiplatform.googleapis.com/custom_model_training_nvidia_l4_gpus`. */
  readonly quotaMetric?: string;
  readonly quotaId?: string;
  readonly quotaDimensions?: Readonly<Record<string, string>>;
  /** int64 as a decimal string. */
  readonly quotaValue?: string;
  readonly futureQuotaValue?: string;
}

/** BadRequest.FieldViolation: the request field at fault and why. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
  readonly reason?: string;
}

/** PreconditionFailure.Violation: a precondition that did not hold. */
export interface PreconditionViolation {
  readonly type: string;
  readonly subject: string;
  readonly description: string;
}

/** A typed error detail; types this client does not model are kept raw as `Other`. */
export type ErrorDetail =
  | {readonly kind: 'ErrorInfo'; readonly reason: string; readonly domain: string; readonly metadata: Readonly<Record<string, string>>}
  | {readonly kind: 'RetryInfo'; readonly retryDelaySeconds: number}
  | {readonly kind: 'QuotaFailure'; readonly violations: readonly QuotaViolation[]}
  | {readonly kind: 'BadRequest'; readonly fieldViolations: readonly FieldViolation[]}
  | {readonly kind: 'PreconditionFailure'; readonly violations: readonly PreconditionViolation[]}
  | {readonly kind: 'Other'; readonly typeUrl: string; readonly raw: JsonObject};

type Known = Exclude<ErrorDetail, {kind: 'Other'}>;

const DECODERS: Readonly<Record<string, (m: JsonMessage) => Known>> = {
  'google.rpc.ErrorInfo': m => ({
    kind: 'ErrorInfo',
    reason: m.orDefault('reason', decodeString, ''),
    domain: m.orDefault('domain', decodeString, ''),
    metadata: m.orDefault('metadata', decodeStringMap, {}),
  }),
  'google.rpc.RetryInfo': m => ({
    kind: 'RetryInfo',
    retryDelaySeconds: parseDurationSeconds(m.orDefault('retryDelay', decodeDuration, '0s')) ?? 0,
  }),
  'google.rpc.QuotaFailure': m => ({kind: 'QuotaFailure', violations: m.orDefault('violations', listDecoder(decodeQuotaViolation), [])}),
  'google.rpc.BadRequest': m => ({kind: 'BadRequest', fieldViolations: m.orDefault('fieldViolations', listDecoder(decodeFieldViolation), [])}),
  'google.rpc.PreconditionFailure': m => ({
    kind: 'PreconditionFailure',
    violations: m.orDefault('violations', listDecoder(decodePreconditionViolation), []),
  }),
};

/** Decodes the `details` of an error envelope; never throws: malformed or unknown details are kept as `Other`. */
export function decodeErrorDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map(decodeErrorDetail);
}

function decodeErrorDetail(raw: JsonObject): ErrorDetail {
  const typeUrl = typeof raw['@type'] === 'string' ? raw['@type'] : '';
  const decode = DECODERS[typeUrl.slice(typeUrl.lastIndexOf('/') + 1)];
  if (decode === undefined) return {kind: 'Other', typeUrl, raw};
  try {
    return decode(JsonMessage.of(raw, '$'));
  } catch (error) {
    if (error instanceof PayloadInvalidError) return {kind: 'Other', typeUrl, raw};
    throw error;
  }
}

const decodeQuotaViolation: Decoder<QuotaViolation> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    subject: m.orDefault('subject', decodeString, ''),
    description: m.orDefault('description', decodeString, ''),
    ...m.optional('apiService', decodeString),
    ...m.optional('quotaMetric', decodeString),
    ...m.optional('quotaId', decodeString),
    ...m.optional('quotaDimensions', decodeStringMap),
    ...m.optional('quotaValue', decodeInt64),
    ...m.optional('futureQuotaValue', decodeInt64),
  };
};

const decodeFieldViolation: Decoder<FieldViolation> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    field: m.orDefault('field', decodeString, ''),
    description: m.orDefault('description', decodeString, ''),
    ...m.optional('reason', decodeString),
  };
};

const decodePreconditionViolation: Decoder<PreconditionViolation> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    type: m.orDefault('type', decodeString, ''),
    subject: m.orDefault('subject', decodeString, ''),
    description: m.orDefault('description', decodeString, ''),
  };
};
