/** Every failure nasmon reports on purpose; anything else thrown is a bug or an unclassified I/O error. */
export const ERROR_CODES = [
  'config-invalid', // configuration or options are wrong; retryable so events wait for a fixed deploy
  'invalid-argument', // a caller passed a value that can never succeed (e.g. a malformed resource name)
  'payload-invalid', // data from outside (an API response, an event) does not match its schema
  'upstream-unavailable', // network failure, timeout, 5xx, truncated body: the outcome is unknown or transient
  'upstream-rate-limited', // a request-rate quota said "not now"
  'upstream-rejected', // the upstream answered with a definitive refusal (4xx, allocation quota)
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'config-invalid',
  'upstream-unavailable',
  'upstream-rate-limited',
]);

/** Options of {@link NasmonError}: a cause, and an override of the code's default retryability. */
export interface NasmonErrorOptions extends ErrorOptions {
  readonly retryable?: boolean;
}

/** The single error class of nasmon, with a closed `code` union (tRPC's shape); subclasses only add fields. */
export class NasmonError extends Error {
  override readonly name: string = 'NasmonError';
  /** Whether trying the same thing again later may succeed. */
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: NasmonErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
  }
}

/** True for a {@link NasmonError}, optionally of the given code. */
export function isNasmonError(err: unknown, code?: ErrorCode): err is NasmonError {
  return err instanceof NasmonError && (code === undefined || err.code === code);
}

/** Unknown throwables count as retryable: a duplicate is cheaper than a lost event (dead-letter caps it). */
export function isRetryable(err: unknown): boolean {
  return !(err instanceof NasmonError) || err.retryable;
}
