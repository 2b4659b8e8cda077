import { httpHandler } from '../../shared/http-handler.js';
import { pageQuery } from '../../shared/pagination.js';
import { identity } from '../composition.js';
import { identityService } from '../service.js';

export const handler = httpHandler({
  route: identityService.routes.listUsers,
  query: pageQuery,
  handle: async ({ caller, query }) => ({
    statusCode: 200,
    body: await identity.listUsers(caller.tenantId, query),
  }),
});
