// Google's REST error model: `{"error":{"code":<HTTP>,"message","status":<canonical name>,"details":[Any…]}}`.
// Handlers throw ApiError; the dispatcher is the one place that turns it into that envelope.

const HTTP_BY_STATUS = {
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
} as const;

export type CanonicalStatus = keyof typeof HTTP_BY_STATUS;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly httpStatus: number;

  constructor(
    readonly status: CanonicalStatus,
    message: string,
    readonly details: readonly Record<string, unknown>[] = [],
    httpStatus?: number,
  ) {
    super(message);
    this.httpStatus = httpStatus ?? HTTP_BY_STATUS[status];
  }

  toEnvelope(): {error: Record<string, unknown>} {
    const error: Record<string, unknown> = {code: this.httpStatus, message: this.message, status: this.status};
    if (this.details.length > 0) error.details = this.details;
    return {error};
  }
}
