import { httpHandler } from '../../shared/http-handler.js';
import { reporting } from '../composition.js';
import { graphqlBody, graphqlExecutor } from '../graphql/execute.js';
import { reportingService } from '../service.js';

/** Introspection helps in development and the sandbox; production does not describe itself. */
const execute = graphqlExecutor(reporting, { introspection: process.env.STAGE !== 'prod' });

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
