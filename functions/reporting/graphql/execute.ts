/**
 * GraphQL over HTTP for one request: size, parse, validation and cost (with the limits) before
 * anything runs, then execution. A document that does not parse, validate or fit the limits is a
 * 400 with `errors`; an executed operation is a 200 with `data` and any field `errors`. A field
 * error that is not one of ours (a DynamoDB or library failure) reaches the client as
 * INTERNAL_SERVER_ERROR with a generic message and the request id, and is logged with its cause.
 */
import { execute, GraphQLError, type GraphQLFormattedError, parse, validate } from 'graphql';
import * as z from 'zod/mini';
import type { Caller } from '../../shared/auth/caller.js';
import { logger } from '../../shared/powertools.js';
import type { ReportingUseCases } from '../domain/reporting-use-cases.js';
import { graphqlLimits, operationCost, tooComplex, validationRules } from './limits.js';
import { errorCodes, productLoader, rootResolvers, schema } from './schema.js';

/**
 * The POST body of GraphQL over HTTP. `extensions` (a map or null) is accepted, as the
 * specification says, and none is supported yet, so it is ignored.
 */
export const graphqlBody = z.strictObject({
  query: z.string().check(z.minLength(1)),
  variables: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  operationName: z.optional(z.nullable(z.string())),
  extensions: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
  /** Named in a masked error, so the client can quote it and the log line can be found. */
  requestId: string;
}

const ourCodes: ReadonlySet<unknown> = new Set(Object.values(errorCodes));

/** GraphQL's own errors (no cause) and the resolvers' coded ones pass; anything else is masked. */
function clientError(error: GraphQLError, requestId: string): GraphQLFormattedError {
  if (!error.originalError || ourCodes.has(error.extensions.code)) return error.toJSON();
  logger.error('GraphQL field failed', { path: error.path, cause: error.originalError });
  return new GraphQLError('The field could not be resolved. It has been logged; retry later.', {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  }).toJSON();
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
    const cost = operationCost(schema, document, request.operationName, request.variables ?? {});
    if (cost > graphqlLimits.maxCost) {
      const error = tooComplex(
        `The query may return ${cost} objects; the limit is ${graphqlLimits.maxCost}.`,
      );
      return { statusCode: 400, body: { errors: [error.toJSON()] } };
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
        ...(result.errors
          ? { errors: result.errors.map((error) => clientError(error, request.requestId)) }
          : {}),
      },
    };
  };
}
