import { publicHttpHandler } from '../../shared/http-handler.js';
import { identity } from '../composition.js';
import { newTenantSchema } from '../domain/identity.js';
import { identityService } from '../service.js';

/** Public sign-up: the tenant and its first admin, who is invited by email; never a token. */
export const handler = publicHttpHandler({
  route: identityService.routes.createTenant,
  body: newTenantSchema,
  handle: async ({ body, correlationId }) => ({
    statusCode: 201,
    body: await identity.createTenant(body, correlationId),
  }),
});
