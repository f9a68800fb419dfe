/** One structured log line per call, as Cloud Logging reads it from stdout. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line it writes. */
  child(fields: Record<string, unknown>): Logger;
}

export type LineWriter = (line: string) => void;

const stdoutLine: LineWriter = line => process.stdout.write(`${line}\n`);

/** Creates a JSON-lines logger; tests pass a `write` that collects lines. */
export function createLogger(base: Record<string, unknown> = {}, write: LineWriter = stdoutLine): Logger {
  const emit = (severity: Severity) => (message: string, fields: Record<string, unknown> = {}) => {
    write(JSON.stringify({severity, message, ...base, ...serializeFields(fields)}));
  };
  return {
    debug: emit('DEBUG'),
    info: emit('INFO'),
    warn: emit('WARNING'),
    error: emit('ERROR'),
    child: fields => createLogger({...base, ...fields}, write),
  };
}

function serializeFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = value instanceof Error ? serializeError(value) : value;
  return out;
}

/** Errors become plain objects: JSON.stringify would otherwise print `{}` for them. */
export function serializeError(error: Error): Record<string, unknown> {
  const code = (error as {code?: unknown}).code;
  return {name: error.name, message: error.message, ...(code === undefined ? {} : {code}), stack: error.stack};
}
