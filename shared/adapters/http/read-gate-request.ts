import type {Request} from '@google-cloud/functions-framework';
import {payloadTooLarge, unsupportedMediaType} from '../../core/gate/gate-errors.js';
import type {RawGateRequest} from '../../core/gate/parse-gate-request.js';

/** The gate's body limit: a NasJob is a few KB; 1 MiB leaves room for large search-space specs. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@link readGateRequest}. */
export interface ReadGateRequestOptions {
  readonly maxBodyBytes?: number;
}

/**
 * The raw call inside an Express request that functions-framework has already read: the target as
 * received (`originalUrl`, never Express's decoded `path`/`query`) and the JSON body. A body (any byte
 * of one) must be `application/json` in UTF-8 and within the size limit; otherwise a 415 or 413 GateError.
 */
export function readGateRequest(req: Request, options: ReadGateRequestOptions = {}): RawGateRequest {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const target = req.originalUrl || req.url || '';
  // functions-framework keeps the bytes it parsed in rawBody; no bytes means no body, whatever the headers say.
  const bytes = req.rawBody?.length ?? 0;
  const problem = contentTypeProblem(req.headers['content-type']);
  // Without a Content-Type no parser reads the body, so rawBody is empty; the headers still tell.
  const announced = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (bytes === 0 && !(announced && problem)) return {method: req.method, target, body: undefined};
  if (bytes > limit) throw payloadTooLarge(limit);
  if (problem) throw unsupportedMediaType(problem);
  // With a JSON content type the framework's JSON parser has run, so the body is parsed JSON; anything else is a bug.
  if (Buffer.isBuffer(req.body) || typeof req.body === 'string') throw unsupportedMediaType('the body could not be read as JSON');
  return {method: req.method, target, body: req.body as unknown};
}

/** Why a Content-Type is not `application/json` in UTF-8, or `undefined` when it is. */
export function contentTypeProblem(contentType: string | undefined): string | undefined {
  if (!contentType) return 'a request body needs "Content-Type: application/json"';
  const [type = '', ...params] = contentType.split(';').map(part => part.trim().toLowerCase());
  if (type !== 'application/json') return `the body must be application/json, not "${type.slice(0, 60)}"`;
  for (const param of params) {
    const [name, value = ''] = param.split('=').map(part => part.trim());
    if (name === 'charset' && value.replace(/"/g, '') !== 'utf-8') return 'only UTF-8 JSON bodies are accepted';
  }
  return undefined;
}
