/**
 * The one factory every HTTP Lambda is built with: a middy stack with Powertools logging, tracing
 * and metrics, header normalisation, JSON body parsing (64 KiB, 415 and 400 rules), zod validation
 * of body, query and path, role checks from the route declaration, RFC 9457 errors and security
 * headers. A handler only calls one use case and maps its result.
 *
 * @example
 * export const handler = httpHandler({
 *   route: catalogService.routes.getProduct,
 *   path: z.object({ id: z.string() }),
 *   handle: async ({ caller, path }) => ({ statusCode: 200, body: await getProduct(caller.tenantId, path.id) }),
 * });
 */
import type { MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { type Caller, callerFromAuthorizerContext } from './auth/caller.js';
import { allowedOrigins, corsOriginsVariable, corsResponseHeaders, originMatcher } from './cors.js';
import {
  BadRequestError,
  ForbiddenError,
  internalErrorBody,
  PayloadTooLargeError,
  ProblemError,
  problemBody,
  UnsupportedMediaTypeError,
} from './errors.js';
import { instrumented } from './instrumented.js';
import { correlate, logger } from './powertools.js';
import { rateLimiterFromEnvironment } from './rate-limiter.js';
import type { PublicRouteDefinition, RouteDefinition } from './service-definition.js';
import { parseOrThrow } from './validation.js';

export const maxBodyBytes = 64 * 1024;

export interface HttpResponse {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Headers = Readonly<Record<string, string | undefined>>;

interface RequestParts<Body, Query, Path> {
  body: Body;
  query: Query;
  path: Path;
  /** Lower-cased header names. */
  headers: Headers;
  requestId: string;
  /**
   * The request's `X-Correlation-Id` when it is 1-128 of `[A-Za-z0-9._-]`, otherwise the request id:
   * echoed in the response and carried by every event, task, log line and push it causes.
   */
  correlationId: string;
}

export interface HttpRequest<Body, Query, Path> extends RequestParts<Body, Query, Path> {
  caller: Caller;
}

interface Schemas<Body, Query, Path> {
  body?: z.ZodMiniType<Body>;
  query?: z.ZodMiniType<Query>;
  path?: z.ZodMiniType<Path>;
}

export interface HttpHandlerOptions<Body, Query, Path> extends Schemas<Body, Query, Path> {
  route: RouteDefinition;
  handle: (request: HttpRequest<Body, Query, Path>) => Promise<HttpResponse>;
}

export interface PublicHttpHandlerOptions<Body, Query, Path> extends Schemas<Body, Query, Path> {
  route: PublicRouteDefinition;
  handle: (request: RequestParts<Body, Query, Path>) => Promise<HttpResponse>;
}

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const jsonMediaType = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

function parseJsonBody(event: APIGatewayProxyEvent, headers: Headers): unknown {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > maxBodyBytes) {
    throw new PayloadTooLargeError(`The body is ${bytes.byteLength} bytes; the limit is ${maxBodyBytes}.`);
  }
  if (bytes.byteLength === 0) throw new BadRequestError('A JSON body is required.');
  const contentType = headers['content-type'] ?? '';
  if (!jsonMediaType.test(contentType)) {
    throw new UnsupportedMediaTypeError(`Content-Type must be application/json, not "${contentType}".`);
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BadRequestError('The body is not well-formed JSON.');
  }
}

/** A route that declares no query parameters takes none: an unknown parameter is a 400, as unknown fields are. */
const noQueryParameters = z.strictObject({});
function rejectAnyQuery(parameters: APIGatewayProxyEvent['queryStringParameters']): undefined {
  parseOrThrow(noQueryParameters, parameters ?? {}, 'query');
  return undefined;
}

function requestParts<Body, Query, Path>(
  event: APIGatewayProxyEvent,
  schemas: Schemas<Body, Query, Path>,
): RequestParts<Body, Query, Path> {
  const headers: Headers = event.headers ?? {};
  return {
    body: (schemas.body
      ? parseOrThrow(schemas.body, parseJsonBody(event, headers), 'body')
      : undefined) as Body,
    query: (schemas.query
      ? parseOrThrow(schemas.query, event.queryStringParameters ?? {}, 'query')
      : rejectAnyQuery(event.queryStringParameters)) as Query,
    path: (schemas.path ? parseOrThrow(schemas.path, event.pathParameters ?? {}, 'path') : undefined) as Path,
    headers,
    requestId: event.requestContext.requestId,
    correlationId: correlationIdOf(event),
  };
}

/** A request header by its lower-case name, whether or not the normalizer has run yet. */
function requestHeader(event: APIGatewayProxyEvent, lowerCaseName: string): string | undefined {
  return Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === lowerCaseName)?.[1];
}

const correlationIdPattern = /^[A-Za-z0-9._-]{1,128}$/;

/** A client's id is kept only in the contract's shape; anything else is replaced by the request id. */
export function correlationIdOf(event: APIGatewayProxyEvent): string {
  const sent = requestHeader(event, 'x-correlation-id');
  return sent !== undefined && correlationIdPattern.test(sent) ? sent : event.requestContext.requestId;
}

function toResult(response: HttpResponse): APIGatewayProxyResult {
  const hasBody = response.body !== undefined;
  return {
    statusCode: response.statusCode,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...response.headers },
    body: hasBody ? JSON.stringify(response.body) : '',
  };
}

/** The single place where errors become HTTP: ProblemErrors as RFC 9457, anything else as a logged 500. */
function problemDetails(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      const { error } = request;
      if (error instanceof ProblemError) {
        logger.info('request rejected', { status: error.status, detail: error.message });
        request.response = {
          statusCode: error.status,
          headers: { 'content-type': 'application/problem+json', ...error.headers },
          body: JSON.stringify(problemBody(error, requestId)),
        };
        return;
      }
      logger.error('unhandled error', error instanceof Error ? error : String(error));
      request.response = {
        statusCode: 500,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify(internalErrorBody(requestId)),
      };
    },
  };
}

/** Every response, errors included, names the correlation id its consequences carry. */
function correlationHeader(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const echo = (request: { event: APIGatewayProxyEvent; response?: APIGatewayProxyResult | null }): void => {
    if (!request.response) return;
    request.response.headers = {
      ...request.response.headers,
      'X-Correlation-Id': correlationIdOf(request.event),
    };
  };
  return {
    after: async (request) => {
      echo(request);
    },
    onError: async (request) => {
      echo(request);
    },
  };
}

/**
 * One INFO line per request, the hop's entry in a correlation id's trail (no body, no headers:
 * they can carry personal data and payment tokens). Its status and resource make responses
 * countable per route in Logs Insights; API Gateway's own metrics count them per stage.
 */
function recordOutcome(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  // Hooks must return nothing: a middy hook that returns a value replaces the response.
  const record = (request: {
    event: APIGatewayProxyEvent;
    response?: APIGatewayProxyResult | null;
  }): void => {
    const status = request.response?.statusCode ?? 500;
    logger.info('request handled', {
      method: request.event.httpMethod,
      resource: request.event.resource,
      status,
    });
  };
  return {
    after: async (request) => {
      record(request);
    },
    onError: async (request) => {
      record(request);
    },
  };
}

/** A JSON API renders nothing: deny everything a browser could do with a response; skip HTML-only policies. */
const apiSecurityHeaders = {
  contentSecurityPolicy: { 'default-src': "'none'", 'frame-ancestors': "'none'" },
  permissionsPolicy: false,
  reportingEndpoints: false,
  reportTo: false,
  crossOriginEmbedderPolicy: false,
  originAgentCluster: false,
} as const;

/** The stage's browser origins, read once; API Gateway answers their preflights itself. */
const isAllowedOrigin = originMatcher(allowedOrigins(process.env[corsOriginsVariable]));

/** An allowed origin's answers, errors included, name it; any other origin's get no CORS header. */
function crossOriginHeaders(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const name = (request: { event: APIGatewayProxyEvent; response?: APIGatewayProxyResult | null }): void => {
    const origin = requestHeader(request.event, 'origin');
    if (!request.response || origin === undefined || !isAllowedOrigin(origin)) return;
    request.response.headers = { ...request.response.headers, ...corsResponseHeaders(origin) };
  };
  return {
    after: async (request) => {
      name(request);
    },
    onError: async (request) => {
      name(request);
    },
  };
}

function withMiddleware(core: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>): ApiHandler {
  return instrumented<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(recordOutcome())
    .use(correlationHeader())
    .use(crossOriginHeaders())
    .use(httpHeaderNormalizer())
    .use(httpSecurityHeaders(apiSecurityHeaders))
    .use(problemDetails())
    .handler(core);
}

/** Read once per function: every request is counted, and nothing is written before it is admitted. */
const rateLimiter = rateLimiterFromEnvironment();

export function httpHandler<Body = undefined, Query = undefined, Path = undefined>(
  options: HttpHandlerOptions<Body, Query, Path>,
): ApiHandler {
  const { route } = options;
  if (route.access === 'public') throw new Error(`Route ${route.path} is public: use publicHttpHandler`);
  const allowedRoles = route.access;
  return withMiddleware(async (event) => {
    correlate(correlationIdOf(event));
    const caller = callerFromAuthorizerContext(event.requestContext.authorizer);
    // Never rejects (a failing store admits), so a read can run beside it and look at it later.
    const refusal = rateLimiter?.refusalFor(caller);
    const admitted = async () => {
      const refused = await refusal;
      if (refused) throw refused;
    };
    // A write waits for its admission before anything else; a read (which writes nothing) runs
    // beside it and is answered only once admitted, so a request pays one round trip, not two.
    if (route.method !== 'GET') await admitted();
    if (!caller.roles.some((role) => allowedRoles.includes(role))) {
      throw new ForbiddenError(`This action needs one of the roles: ${allowedRoles.join(', ')}.`);
    }
    logger.appendKeys({ tenantId: caller.tenantId, userId: caller.userId });
    const response = await options.handle({ ...requestParts(event, options), caller });
    await admitted();
    return toResult(response);
  });
}

export function publicHttpHandler<Body = undefined, Query = undefined, Path = undefined>(
  options: PublicHttpHandlerOptions<Body, Query, Path>,
): ApiHandler {
  const { route } = options;
  return withMiddleware(async (event) => {
    correlate(correlationIdOf(event));
    if (rateLimiter && route.limitedAsSignUp) {
      const routeKey = `${route.method} ${route.path}`;
      const refused = await rateLimiter.refusalForSignUp(routeKey, event.requestContext.identity.sourceIp);
      if (refused) throw refused;
    }
    return toResult(await options.handle(requestParts(event, options)));
  });
}
