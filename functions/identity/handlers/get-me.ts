import { httpHandler } from '../../shared/http-handler.js';
import { identityService } from '../service.js';

/** The caller as the verified token says: no table read. */
export const handler = httpHandler({
  route: identityService.routes.getMe,
  handle: async ({ caller }) => ({
    statusCode: 200,
    body: { userId: caller.userId, tenantId: caller.tenantId, roles: caller.roles },
  }),
});
