import {GateError} from '../../core/gate/gate-error.js';
import {errorInfo, internalError, invalidArgument, payloadTooLarge, unsupportedMediaType} from '../../core/gate/gate-errors.js';
import {canonicalCodeOfHttpStatus} from '../../core/vertex/canonical-code.js';

// Errors raised by functions-framework's own middleware (body-parser, the router) before the handler
// runs. Express would render them as an HTML page with the stack trace; these are the gate's answers.

/** The GateError for an error thrown by the framework's middleware; its text is never passed on. */
export function gateErrorOfFrameworkError(error: unknown, maxBodyBytes: number): GateError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {type?: unknown; status?: unknown; code?: unknown; charset?: unknown};
  switch (e.type) {
    case 'entity.parse.failed':
      return invalidArgument('the request body is not valid JSON (it must be a JSON object)', [], 'MALFORMED_JSON');
    case 'entity.too.large':
      return payloadTooLarge(maxBodyBytes);
    case 'encoding.unsupported':
      return unsupportedMediaType('compressed bodies are not accepted; send the JSON uncompressed', 'UNSUPPORTED_CONTENT_ENCODING');
    case 'charset.unsupported':
      return unsupportedMediaType('only UTF-8 JSON bodies are accepted', 'UNSUPPORTED_CHARSET');
    case 'request.aborted':
    case 'request.size.invalid':
      return invalidArgument('the request body ended before Content-Length bytes arrived', [], 'INCOMPLETE_BODY');
  }
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return invalidArgument('the compressed request body could not be decoded', [], 'MALFORMED_BODY');
  }
  if (error instanceof URIError) return invalidArgument('the path is not validly percent-encoded', [], 'INVALID_PATH');
  const status = typeof e.status === 'number' ? e.status : 500;
  if (status >= 400 && status < 500) {
    return new GateError({
      httpStatus: status,
      status: canonicalCodeOfHttpStatus(status) === 'UNKNOWN' ? 'INVALID_ARGUMENT' : canonicalCodeOfHttpStatus(status),
      message: 'the request could not be read',
      details: [errorInfo('UNREADABLE_REQUEST')],
    });
  }
  return internalError();
}
