/**
 * What API Gateway does in front of the handlers, offline: match the REST resource, run the real
 * token authorizer (401 when it says Unauthorized, 403 when its policy does not allow the method),
 * build the REST proxy event with the authorizer context, invoke the handler, and answer with the
 * same gateway problem responses the stack deploys. Preflights (`OPTIONS`) are answered here, as
 * API Gateway's mock integration does, and every gateway answer to an allowed origin carries the
 * CORS headers; the handlers add their own.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { corsPreflightHeaders, corsResponseHeaders, originMatcher } from '../functions/shared/cors.js';
import { gatewayProblems } from '../functions/shared/errors.js';
import type { Admission } from '../functions/shared/rate-limits.js';
import type { RouteDefinition } from '../functions/shared/service-definition.js';
import { lambdaContext } from './lambda-context.js';

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
export type TokenAuthorizer = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

export interface LoadedRoute {
  serviceName: string;
  routeName: string;
  definition: RouteDefinition;
  handler: ApiHandler;
}

/** A route that exists only in the sandbox (`/_dev/*`, `/openapi.json`, `/docs`); it never deploys. */
export interface DevRoute {
  method: string;
  path: string;
  /** A JSON body, or a page or file with its own media type. */
  handle(body: string): Promise<{ statusCode: number; body: unknown; contentType?: string }>;
}

interface CompiledRoute extends LoadedRoute {
  pattern: RegExp;
  parameterNames: string[];
}

const apiId = 'sandbox';
const stageName = 'local';
const accountId = '000000000000';
/** API Gateway's own payload limit; the handlers enforce the contract's 64 KiB. */
const maxPayloadBytes = 10 * 1024 * 1024;

function compile(route: LoadedRoute): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.definition.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), parameterNames };
}

function policyAllows(result: APIGatewayAuthorizerResult, methodArn: string): boolean {
  const statements = result.policyDocument?.Statement ?? [];
  const matches = (resource: unknown) =>
    (Array.isArray(resource) ? resource : [resource]).some(
      (pattern) =>
        typeof pattern === 'string' &&
        new RegExp(
          `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
        ).test(methodArn),
    );
  const applicable = statements.filter((statement) => 'Resource' in statement && matches(statement.Resource));
  return applicable.some((s) => s.Effect === 'Allow') && !applicable.some((s) => s.Effect === 'Deny');
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > maxPayloadBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function send(
  response: ServerResponse,
  statusCode: number,
  headers: Record<string, string>,
  body: string | Buffer,
): void {
  response.writeHead(statusCode, { 'x-amzn-requestid': headers['x-amzn-requestid'] ?? '', ...headers });
  response.end(body);
}

/** Path parameters percent-decoded, as API Gateway hands them over; undefined when one is malformed. */
function decodedParameters(
  names: readonly string[],
  match: RegExpExecArray,
): Record<string, string> | undefined {
  try {
    return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
  } catch (error) {
    if (error instanceof URIError) return undefined;
    throw error;
  }
}

function sendGatewayProblem(
  response: ServerResponse,
  problem: (typeof gatewayProblems)[keyof typeof gatewayProblems],
  requestId: string,
  cors: Record<string, string>,
  detail: string = problem.detail,
): void {
  const { status, title, type, headers } = problem;
  send(
    response,
    status,
    { 'content-type': 'application/problem+json', 'x-amzn-requestid': requestId, ...cors, ...headers },
    JSON.stringify({ type, title, status, detail, requestId }),
  );
}

export function createGateway(options: {
  routes: readonly LoadedRoute[];
  authorizer: TokenAuthorizer;
  devRoutes: readonly DevRoute[];
  /** API Gateway's stage throttling: one bucket for the whole stage, before the authorizer runs. */
  stageThrottle: (key: string) => Admission;
  /** The browser origins the stage allows (`*` within one label). */
  corsOrigins: readonly string[];
  onError: (error: unknown) => void;
}): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const routes = options.routes.map(compile);
  const isAllowedOrigin = originMatcher(options.corsOrigins);

  return async (request, response) => {
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const method = request.method ?? 'GET';
    const origin = request.headers.origin;
    const allowedOrigin = isAllowedOrigin(origin) ? origin : undefined;
    const cors = allowedOrigin ? corsResponseHeaders(allowedOrigin) : {};
    try {
      const body = await readBody(request);
      if (body === undefined) {
        send(
          response,
          413,
          { 'content-type': 'application/json' },
          JSON.stringify({ message: 'Request Too Long' }),
        );
        return;
      }

      const devRoute = options.devRoutes.find(
        (route) => route.method === method && route.path === url.pathname,
      );
      if (devRoute) {
        const result = await devRoute.handle(body.toString('utf8'));
        const contentType =
          result.contentType ?? (result.statusCode >= 400 ? 'application/problem+json' : 'application/json');
        const sent = result.contentType ? (result.body as string | Buffer) : JSON.stringify(result.body);
        send(response, result.statusCode, { 'content-type': contentType }, sent);
        return;
      }

      const decodedPath = url.pathname;
      const onPath = routes.flatMap((route) => {
        const match = route.pattern.exec(decodedPath);
        return match ? [{ route, match }] : [];
      });
      if (method === 'OPTIONS' && onPath.length > 0) {
        if (!options.stageThrottle(stageName).admitted) {
          sendGatewayProblem(response, gatewayProblems.throttled, requestId, cors);
          return;
        }
        const methods = onPath.map(({ route }) => route.definition.method);
        send(response, 204, allowedOrigin ? corsPreflightHeaders(allowedOrigin, methods) : {}, '');
        return;
      }
      const found = onPath.find(({ route }) => route.definition.method === method);
      const decoded = found && decodedParameters(found.route.parameterNames, found.match);
      if (found && !decoded) {
        sendGatewayProblem(response, gatewayProblems.malformedPath, requestId, cors);
        return;
      }
      const matched = found && decoded ? { route: found.route, parameters: decoded } : undefined;
      if (!matched) {
        sendGatewayProblem(response, gatewayProblems.notFound, requestId, cors);
        return;
      }

      if (!options.stageThrottle(stageName).admitted) {
        sendGatewayProblem(response, gatewayProblems.throttled, requestId, cors);
        return;
      }
      const { route, parameters } = matched;
      const headers = headersOf(request);
      const resourcePath = route.definition.path;
      const methodArn = `arn:aws:execute-api:us-east-1:${accountId}:${apiId}/${stageName}/${method}${decodedPath}`;
      let authorizerContext: Record<string, unknown> | null = null;
      if (route.definition.access !== 'public') {
        const token = headers.authorization;
        if (!token) {
          sendGatewayProblem(response, gatewayProblems.unauthorized, requestId, cors);
          return;
        }
        let result: APIGatewayAuthorizerResult;
        try {
          result = await options.authorizer({ type: 'TOKEN', authorizationToken: token, methodArn });
        } catch (error) {
          if (error instanceof Error && error.message === 'Unauthorized') {
            sendGatewayProblem(response, gatewayProblems.unauthorized, requestId, cors);
            return;
          }
          throw error;
        }
        if (!policyAllows(result, methodArn)) {
          sendGatewayProblem(response, gatewayProblems.accessDenied, requestId, cors);
          return;
        }
        authorizerContext = { ...result.context, principalId: result.principalId };
      }

      const query = Object.fromEntries(url.searchParams.entries());
      // A Map, not an object literal: a parameter named after an Object.prototype member (toString,
      // constructor) must not collide with it.
      const multiQuery = new Map<string, string[]>();
      for (const [name, value] of url.searchParams.entries()) {
        multiQuery.set(name, [...(multiQuery.get(name) ?? []), value]);
      }
      const event: APIGatewayProxyEvent = {
        resource: resourcePath,
        path: decodedPath,
        httpMethod: method,
        headers,
        multiValueHeaders: Object.fromEntries(
          Object.entries(headers).map(([name, value]) => [name, [value]]),
        ),
        queryStringParameters: url.searchParams.size > 0 ? query : null,
        multiValueQueryStringParameters: url.searchParams.size > 0 ? Object.fromEntries(multiQuery) : null,
        pathParameters: route.parameterNames.length > 0 ? parameters : null,
        stageVariables: null,
        body: body.byteLength > 0 ? body.toString('utf8') : null,
        isBase64Encoded: false,
        requestContext: {
          accountId,
          apiId,
          authorizer: authorizerContext,
          protocol: `HTTP/${request.httpVersion}`,
          httpMethod: method,
          identity: {
            sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? null,
          } as APIGatewayProxyEvent['requestContext']['identity'],
          path: `/${stageName}${decodedPath}`,
          stage: stageName,
          requestId,
          requestTimeEpoch: Date.now(),
          resourceId: route.routeName,
          resourcePath,
        },
      };
      const result = await route.handler(
        event,
        lambdaContext(`${route.serviceName}-${route.routeName}`, requestId),
      );
      const responseHeaders: Record<string, string> = { 'x-amzn-requestid': requestId };
      for (const [name, value] of Object.entries(result.headers ?? {})) responseHeaders[name] = String(value);
      send(
        response,
        result.statusCode,
        responseHeaders,
        result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body,
      );
    } catch (error) {
      options.onError(error);
      send(
        response,
        502,
        { 'content-type': 'application/problem+json', 'x-amzn-requestid': requestId, ...cors },
        JSON.stringify({
          type: 'urn:serverless-saas:problem:bad-gateway',
          title: 'Bad Gateway',
          status: 502,
          detail: 'The integration failed.',
          requestId,
        }),
      );
    }
  };
}
