import { publicHttpHandler } from '../../shared/http-handler.js';
import { idempotencyKeyOf } from '../../shared/idempotency.js';
import { identity } from '../composition.js';
import { newTenantSchema } from '../domain/identity.js';
import { identityService } from '../service.js';

/** Public sign-up: the tenant and its first admin, who is invited by email; never a token. */
export const handler = publicHttpHandler({
  route: identityService.routes.createTenant,
  body: newTenantSchema,
  handle: async ({ body, headers, correlationId }) => {
    const idempotencyKey = idempotencyKeyOf(headers);
    const { tenant, replayed } = await identity.createTenant(body, {
      correlationId,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    return {
      statusCode: 201,
      body: tenant,
      ...(replayed ? { headers: { 'Idempotent-Replayed': 'true' } } : {}),
    };
  },
});
