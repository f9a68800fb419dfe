// Raw HTTP for the gate's tests: requests sent byte-for-byte (no path normalisation, any header or
// body), and the check that an error answer is Google's envelope with nothing internal in it.
import http from 'node:http';

/** A request sent byte-for-byte: the path is not normalised (fetch would resolve "..", "."). */
export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Send the body chunked, without Content-Length. */
  readonly chunked?: boolean;
}

/** What came back. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** Sends `request` to 127.0.0.1:`port` exactly as given (method, raw path, headers, body). */
export function sendRaw(port: number, agent: http.Agent, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {...request.headers};
    if (request.body !== undefined && !request.chunked) headers['content-length'] = Buffer.byteLength(request.body);
    const req = http.request({host: '127.0.0.1', port, agent, method: request.method ?? 'GET', path: request.path, headers}, res => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8')}));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

/** Checks a response is Google's error envelope for its status, without stack traces or internals. */
export function envelopeProblems(response: RawResponse): string[] {
  const problems: string[] = [];
  if (!String(response.headers['content-type']).startsWith('application/json')) problems.push(`content-type ${response.headers['content-type']}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    return [...problems, `not JSON: ${response.text.slice(0, 120)}`];
  }
  const error = (parsed as {error?: Record<string, unknown>}).error;
  if (!error || typeof error !== 'object') return [...problems, 'no error member'];
  if (error.code !== response.status) problems.push(`error.code ${String(error.code)} != ${response.status}`);
  if (typeof error.status !== 'string' || !/^[A-Z_]+$/.test(error.status)) problems.push(`error.status ${String(error.status)}`);
  if (typeof error.message !== 'string' || error.message === '') problems.push('empty message');
  if (!Array.isArray(error.details)) problems.push('details is not an array');
  if (/\n\s+at |\(\S+:\d+:\d+\)|node_modules|\/work\/|SyntaxError|TypeError/.test(response.text)) problems.push('leaks internals');
  return problems;
}

/** The parsed error member of an envelope response. */
export function errorOf(response: RawResponse): {code: number; status: string; message: string; details: Record<string, unknown>[]} {
  return (JSON.parse(response.text) as {error: never}).error;
}
