import type {IncomingHttpHeaders} from 'node:http';
import type {MessageName} from '../proto/schema.js';
import type {SimState} from '../sim-state.js';

/** A routed REST request, body already parsed. Path parameters arrive URL-decoded. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Readonly<Record<string, string>>;
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  /** The message type of `body`, so enums can be re-encoded as numbers on request. */
  messageType?: MessageName;
}

export type ApiHandler = (req: ApiRequest, sim: SimState) => ApiResponse;

export function ok(body: unknown, messageType?: MessageName): ApiResponse {
  return messageType ? {status: 200, body, messageType} : {status: 200, body};
}
