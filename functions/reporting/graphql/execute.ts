/**
 * GraphQL over HTTP for one request: size, parse and validation (with the limits) before anything
 * runs, then execution. A document that does not parse or validate is a 400 with `errors`; an
 * executed operation is a 200 with `data` and any field `errors`.
 */
import { execute, type GraphQLFormattedError, parse, validate } from 'graphql';
import * as z from 'zod/mini';
import type { Caller } from '../../shared/auth/caller.js';
import type { ReportingUseCases } from '../domain/reporting-use-cases.js';
import { graphqlLimits, tooComplex, validationRules } from './limits.js';
import { productLoader, rootResolvers, schema } from './schema.js';

/** The POST body of GraphQL over HTTP. */
export const graphqlBody = z.strictObject({
  query: z.string().check(z.minLength(1)),
  variables: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  operationName: z.optional(z.nullable(z.string())),
});

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
}

export interface GraphqlResponse {
  statusCode: 200 | 400;
  body: { data?: unknown; errors?: readonly GraphQLFormattedError[] };
}

export function graphqlExecutor(reporting: ReportingUseCases, options: { introspection: boolean }) {
  const rootValue = rootResolvers(reporting);
  const rules = validationRules(options);
  return async (caller: Caller, request: GraphqlRequest): Promise<GraphqlResponse> => {
    if (Buffer.byteLength(request.query, 'utf8') > graphqlLimits.maxDocumentBytes) {
      const error = tooComplex(`The document is over ${graphqlLimits.maxDocumentBytes} bytes.`);
      return { statusCode: 400, body: { errors: [error.toJSON()] } };
    }
    let document: ReturnType<typeof parse>;
    try {
      document = parse(request.query);
    } catch (error) {
      return { statusCode: 400, body: { errors: [(error as { toJSON(): GraphQLFormattedError }).toJSON()] } };
    }
    const validationErrors = validate(schema, document, rules);
    if (validationErrors.length > 0) {
      return { statusCode: 400, body: { errors: validationErrors.map((error) => error.toJSON()) } };
    }
    const result = await execute({
      schema,
      document,
      rootValue,
      contextValue: { caller, products: productLoader(reporting, caller.tenantId) },
      variableValues: request.variables ?? null,
      operationName: request.operationName ?? null,
    });
    return {
      statusCode: 200,
      body: {
        data: result.data ?? null,
        ...(result.errors ? { errors: result.errors.map((error) => error.toJSON()) } : {}),
      },
    };
  };
}
