/**
 * The OpenAPI 3.1 description of the REST API, generated from the route declarations and the zod
 * schemas the handlers validate with (`npm run openapi` writes docs/openapi.json; the sandbox
 * serves it at GET /openapi.json). A unit test fails when it drifts from the declarations.
 */
import * as z from 'zod/mini';
import { services } from '../../functions/services.js';
import type { RouteDefinition } from '../../functions/shared/service-definition.js';
import { type OperationDoc, operations } from './operations.js';

type JsonObject = Record<string, unknown>;

export const routeKey = (route: RouteDefinition): string => `${route.method} ${route.path}`;

/** The statuses a route answers because of how it is declared, with when. */
export function declaredStatuses(route: RouteDefinition, doc: OperationDoc): Record<number, string> {
  const statuses: Record<number, string> = { 429: 'rate limited (Retry-After)', 500: 'an unexpected error' };
  if (route.access !== 'public') {
    statuses[401] = 'no token, or one that fails verification';
    statuses[403] = 'the role may not call this route';
  }
  if (doc.body || doc.query || doc.path || route.method !== 'GET')
    statuses[400] = 'a field out of its limits, or an unknown field';
  if (doc.body) {
    statuses[413] = 'the body is over 64 KiB';
    statuses[415] = 'the body is not application/json';
  }
  if (route.path.includes('{')) statuses[404] = "no such resource in the caller's tenant";
  return statuses;
}

function jsonSchema(schema: z.ZodMiniType): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

function parameters(doc: OperationDoc): JsonObject[] {
  const fromSchema = (schema: z.ZodMiniType | undefined, location: 'query' | 'path') => {
    if (!schema) return [];
    const { properties = {}, required = [] } = jsonSchema(schema) as {
      properties?: Record<string, JsonObject>;
      required?: string[];
    };
    return Object.entries(properties).map(([name, property]) => ({
      name,
      in: location,
      required: location === 'path' || required.includes(name),
      schema: property,
    }));
  };
  const headers = Object.entries(doc.headers ?? {}).map(([name, description]) => ({
    name,
    in: 'header',
    required: false,
    description,
    schema: { type: 'string' },
  }));
  return [
    ...fromSchema(doc.path, 'path'),
    ...fromSchema(doc.query, 'query'),
    ...headers,
    correlationParameter,
  ];
}

const problem = { $ref: '#/components/schemas/Problem' };

const correlationIdSchema = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' };

/** Every route takes and echoes the correlation id its consequences carry. */
const correlationParameter = {
  name: 'X-Correlation-Id',
  in: 'header',
  required: false,
  description:
    'Carried by every event, task, log line and push the request causes; anything else is replaced',
  schema: correlationIdSchema,
};
const correlationHeader = {
  'X-Correlation-Id': { description: 'The correlation id in use', schema: correlationIdSchema },
};

const otherContent = (doc: OperationDoc, status: number): JsonObject =>
  Object.fromEntries(
    Object.entries(doc.otherBodies?.[status] ?? {}).map(([mediaType, schema]) => [
      mediaType,
      { schema: jsonSchema(schema) },
    ]),
  );

function operation(route: RouteDefinition, doc: OperationDoc): JsonObject {
  const errors = { ...declaredStatuses(route, doc), ...doc.statuses };
  const responses: JsonObject = {
    [doc.success.status]: {
      description: doc.success.description,
      headers: {
        ...correlationHeader,
        ...Object.fromEntries(
          Object.entries(doc.success.headers ?? {}).map(([name, description]) => [
            name,
            { description, schema: { type: 'string' } },
          ]),
        ),
      },
      ...(doc.success.schema
        ? {
            content: {
              'application/json': { schema: jsonSchema(doc.success.schema) },
              ...otherContent(doc, doc.success.status),
            },
          }
        : {}),
    },
  };
  for (const [status, description] of Object.entries(errors)) {
    responses[status] = {
      description,
      headers: correlationHeader,
      content: { 'application/problem+json': { schema: problem }, ...otherContent(doc, Number(status)) },
    };
  }
  const parameterList = parameters(doc);
  return {
    summary: doc.summary,
    ...(route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
    ...(parameterList.length > 0 ? { parameters: parameterList } : {}),
    ...(doc.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body) } } } }
      : {}),
    responses,
  };
}

export function openApiDocument(serverUrl = 'http://127.0.0.1:3000'): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const service of services) {
    for (const route of Object.values(service.routes) as RouteDefinition[]) {
      const doc = operations[routeKey(route)];
      if (!doc) throw new Error(`${routeKey(route)} has no entry in lib/openapi/operations.ts`);
      paths[route.path] ??= {};
      (paths[route.path] as JsonObject)[route.method.toLowerCase()] = {
        tags: [service.name],
        ...operation(route, doc),
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'serverless-saas',
      version: '0.1.0',
      description: 'Multi-tenant commerce API. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token of the trusted issuer',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'requestId'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['path', 'message'],
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
            requestId: { type: 'string' },
          },
        },
      },
    },
  };
}
