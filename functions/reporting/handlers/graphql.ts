import * as z from 'zod/mini';
import { httpHandler } from '../../shared/http-handler.js';
import { reporting } from '../composition.js';
import { graphqlExecutor } from '../graphql/execute.js';
import { reportingService } from '../service.js';

/** Introspection helps in development and the sandbox; production does not describe itself. */
const execute = graphqlExecutor(reporting, { introspection: process.env.STAGE !== 'prod' });

const graphqlBody = z.strictObject({
  query: z.string().check(z.minLength(1)),
  variables: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  operationName: z.optional(z.nullable(z.string())),
});

export const handler = httpHandler({
  route: reportingService.routes.graphql,
  body: graphqlBody,
  handle: async ({ caller, body }) =>
    execute(caller, {
      query: body.query,
      variables: body.variables ?? undefined,
      operationName: body.operationName ?? undefined,
    }),
});
