import { httpHandler } from '../../shared/http-handler.js';
import { identity } from '../composition.js';
import { newUserSchema } from '../domain/identity.js';
import { identityService } from '../service.js';

export const handler = httpHandler({
  route: identityService.routes.inviteUser,
  body: newUserSchema,
  handle: async ({ caller, body, correlationId }) => ({
    statusCode: 201,
    body: await identity.inviteUser(caller, body, correlationId),
  }),
});
