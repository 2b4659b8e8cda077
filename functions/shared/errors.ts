/**
 * Errors that map to an RFC 9457 problem response. Domain code and handlers throw these; exactly
 * one middleware (`problemDetails` in http-handler.ts) turns them into HTTP.
 *
 * @example
 * throw new NotFoundError(`No product ${id}`);
 */

export interface FieldError {
  path: string;
  message: string;
}

// URNs: stable identifiers that do not pretend to be dereferenceable documentation pages.
const problemTypeBase = 'urn:serverless-saas:problem:';

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly slug: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = new.target.name;
  }

  get type(): string {
    return `${problemTypeBase}${this.slug}`;
  }
}

export class BadRequestError extends ProblemError {
  constructor(detail: string, errors?: FieldError[]) {
    super(400, 'Bad Request', 'bad-request', detail, errors);
  }
}

export class ValidationError extends ProblemError {
  constructor(detail: string, errors: FieldError[]) {
    super(400, 'Validation Failed', 'validation', detail, errors);
  }
}

export class ForbiddenError extends ProblemError {
  constructor(detail: string) {
    super(403, 'Forbidden', 'forbidden', detail);
  }
}

export class NotFoundError extends ProblemError {
  constructor(detail: string) {
    super(404, 'Not Found', 'not-found', detail);
  }
}

export class ConflictError extends ProblemError {
  constructor(detail: string) {
    super(409, 'Conflict', 'conflict', detail);
  }
}

export class PreconditionFailedError extends ProblemError {
  constructor(detail: string) {
    super(412, 'Precondition Failed', 'precondition-failed', detail);
  }
}

export class PayloadTooLargeError extends ProblemError {
  constructor(detail: string) {
    super(413, 'Payload Too Large', 'payload-too-large', detail);
  }
}

export class UnsupportedMediaTypeError extends ProblemError {
  constructor(detail: string) {
    super(415, 'Unsupported Media Type', 'unsupported-media-type', detail);
  }
}

export class UnprocessableContentError extends ProblemError {
  constructor(detail: string) {
    super(422, 'Unprocessable Content', 'unprocessable-content', detail);
  }
}

/** A rate limit is spent: 429 with the whole seconds to wait. */
export class RateLimitedError extends ProblemError {
  constructor(scope: string, retryAfterSeconds: number) {
    super(
      429,
      'Too Many Requests',
      'rate-limited',
      `The ${scope} rate limit is exceeded; retry after ${retryAfterSeconds} s.`,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  requestId: string;
}

export function problemBody(error: ProblemError, requestId: string): ProblemBody {
  return {
    type: error.type,
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    requestId,
  };
}

export const internalErrorBody = (requestId: string): ProblemBody => ({
  type: `${problemTypeBase}internal`,
  title: 'Internal Server Error',
  status: 500,
  detail: 'The request could not be completed. It has been logged; retry later.',
  requestId,
});

/** Gateway-generated problems (API Gateway gateway responses and the sandbox's emulation of them). */
export const gatewayProblems = {
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    type: `${problemTypeBase}unauthorized`,
    detail: 'A valid bearer access token is required.',
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  },
  accessDenied: {
    status: 403,
    title: 'Forbidden',
    type: `${problemTypeBase}forbidden`,
    detail: 'The token does not grant access to this resource.',
    headers: {},
  },
  throttled: {
    status: 429,
    title: 'Too Many Requests',
    type: `${problemTypeBase}rate-limited`,
    detail: 'Rate limit exceeded; retry after the delay in Retry-After.',
    headers: { 'Retry-After': '1' },
  },
  malformedPath: {
    status: 400,
    title: 'Bad Request',
    type: `${problemTypeBase}bad-request`,
    detail: 'The path is not well-formed: a percent sign must start a valid UTF-8 escape.',
    headers: {},
  },
  notFound: {
    status: 404,
    title: 'Not Found',
    type: `${problemTypeBase}not-found`,
    detail: 'No such route.',
    headers: {},
  },
} as const;
