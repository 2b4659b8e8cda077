import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { services } from '../../../functions/services.js';
import type { RouteDefinition } from '../../../functions/shared/service-definition.js';
import { openApiDocument, routeKey } from '../../../lib/openapi/document.js';
import { operations } from '../../../lib/openapi/operations.js';

type Operation = { responses: Record<string, { content?: Record<string, unknown> }>; security?: unknown[] };
const document = openApiDocument() as { paths: Record<string, Record<string, Operation>> };
const declared = services.flatMap((service) => Object.values(service.routes) as RouteDefinition[]);
const operationOf = (route: RouteDefinition) =>
  document.paths[route.path]?.[route.method.toLowerCase()] as Operation;
const statusesOf = (route: RouteDefinition) => Object.keys(operationOf(route).responses).map(Number);

describe('the OpenAPI description', () => {
  it('describes exactly the declared routes', () => {
    const described = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(described.sort()).toEqual(declared.map(routeKey).sort());
    expect(Object.keys(operations).sort()).toEqual(declared.map(routeKey).sort());
  });

  it.each(declared.map((route) => [routeKey(route), route] as const))(
    '%s documents every status its declaration implies, errors as problem+json',
    (_, route) => {
      const statuses = statusesOf(route);
      const doc = operations[routeKey(route)];

      expect(statuses).toEqual(expect.arrayContaining([429, 500]));
      if (route.access === 'public') {
        expect(statuses).not.toContain(401);
        expect(operationOf(route).security).toEqual([]);
      } else expect(statuses).toEqual(expect.arrayContaining([401, 403]));
      if (doc?.body) expect(statuses).toEqual(expect.arrayContaining([400, 413, 415]));
      if (route.path.includes('{')) expect(statuses).toContain(404);
      for (const status of statuses.filter((code) => code >= 400)) {
        // Problem+json, and whatever else the route says that status carries (GraphQL's errors).
        expect(Object.keys(operationOf(route).responses[status]?.content ?? {})).toEqual([
          'application/problem+json',
          ...Object.keys(doc?.otherBodies?.[status] ?? {}),
        ]);
      }
    },
  );

  it("describes POST /graphql's 400 as GraphQL errors too, as it answers a document that does not validate", () => {
    const graphql = declared.find((route) => routeKey(route) === 'POST /graphql') as RouteDefinition;
    const content = operationOf(graphql).responses[400]?.content ?? {};

    expect(Object.keys(content)).toEqual([
      'application/problem+json',
      'application/json',
      'application/graphql-response+json',
    ]);
    expect(JSON.stringify(content['application/json'])).toContain('"errors"');
  });

  it('documents the statuses of the contract for the routes that answer them', () => {
    const route = (key: string) =>
      declared.find((candidate) => routeKey(candidate) === key) as RouteDefinition;

    expect(statusesOf(route('POST /products'))).toContain(409);
    expect(statusesOf(route('PATCH /products/{id}'))).toContain(412);
    expect(statusesOf(route('POST /orders'))).toEqual(expect.arrayContaining([202, 409, 422]));
    expect(statusesOf(route('POST /users'))).toContain(409);
  });

  it('names X-Correlation-Id on every operation, request and responses alike', () => {
    for (const route of declared) {
      const operation = operationOf(route) as Operation & {
        parameters?: { name: string }[];
        responses: Record<string, { headers?: Record<string, unknown> }>;
      };
      expect(operation.parameters?.map((parameter) => parameter.name)).toContain('X-Correlation-Id');
      for (const response of Object.values(operation.responses))
        expect(response.headers).toHaveProperty(['X-Correlation-Id']);
    }
  });

  it('is what docs/openapi.json holds (run npm run openapi after changing a route)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../../docs/openapi.json'), 'utf8'));

    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
