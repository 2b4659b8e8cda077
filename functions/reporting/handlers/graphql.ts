import { httpHandler } from '../../shared/http-handler.js';
import { reporting } from '../composition.js';
import { graphqlBody, graphqlExecutor } from '../graphql/execute.js';
import { reportingService } from '../service.js';

/** Introspection helps in development and the sandbox; production does not describe itself. */
const execute = graphqlExecutor(reporting, { introspection: process.env.STAGE !== 'prod' });

/** GraphQL over HTTP's own media type, for a client that asks for it; plain JSON otherwise. */
const graphqlResponseMediaType = 'application/graphql-response+json';

export const handler = httpHandler({
  route: reportingService.routes.graphql,
  body: graphqlBody,
  handle: async ({ caller, body, headers, requestId }) => {
    const result = await execute(caller, {
      query: body.query,
      variables: body.variables ?? undefined,
      operationName: body.operationName ?? undefined,
      requestId,
    });
    const accept = headers.accept ?? '';
    return accept.includes(graphqlResponseMediaType)
      ? { ...result, headers: { 'content-type': `${graphqlResponseMediaType}; charset=utf-8` } }
      : result;
  },
});
