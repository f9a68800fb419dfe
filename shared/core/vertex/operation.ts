import type {JsonObject} from './custom-job-spec.js';

// google.rpc.Status and google.longrunning.Operation as Vertex returns them (vertex-nasjobs-api.md §1, §2.6).
// REST reference: https://cloud.google.com/vertex-ai/docs/reference/rest/Shared.Types/ListOperationsResponse#Operation

/** google.protobuf.Any in JSON: a message with its `@type` URL. */
export type AnyMessage = Readonly<{'@type': string} & Record<string, unknown>>;

/** google.rpc.Status: in a job or an operation, `code` is the numeric google.rpc.Code (1 = CANCELLED). */
export interface Status {
  /** google.rpc.Code number; 0 (OK) when omitted. */
  readonly code: number;
  /** Developer-facing English text; a cancelled job carries `"CANCELED"` (one L). */
  readonly message: string;
  /** Detail messages, kept as received. */
  readonly details: readonly JsonObject[];
}

/** The `@type` of DeleteOperationMetadata. */
export const DELETE_OPERATION_METADATA_TYPE = 'type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata';
/** The `@type` of google.protobuf.Empty, the response of a finished delete. */
export const EMPTY_TYPE = 'type.googleapis.com/google.protobuf.Empty';

/** GenericOperationMetadata: common fields of Vertex operation metadata. */
export interface GenericOperationMetadata {
  readonly createTime?: string;
  readonly updateTime?: string;
  /** At most 20 entries. */
  readonly partialFailures: readonly Status[];
}

/** DeleteOperationMetadata, the metadata of a nasJobs.delete operation. */
export interface DeleteOperationMetadata {
  readonly '@type': typeof DELETE_OPERATION_METADATA_TYPE;
  readonly genericMetadata?: GenericOperationMetadata;
}

/** google.longrunning.Operation; when `done`, exactly one of `error` and `response` is set. */
export interface Operation {
  /** `projects/{project_number}/locations/{l}/operations/{id}`. */
  readonly name: string;
  /** `false` when omitted. */
  readonly done: boolean;
  /** Parsed when it is DeleteOperationMetadata, otherwise kept as received. */
  readonly metadata?: DeleteOperationMetadata | AnyMessage;
  readonly error?: Status;
  readonly response?: AnyMessage;
}

/** True when the operation's metadata is DeleteOperationMetadata. */
export function isDeleteOperationMetadata(
  metadata: Operation['metadata'],
): metadata is DeleteOperationMetadata {
  return metadata?.['@type'] === DELETE_OPERATION_METADATA_TYPE;
}
