import * as z from 'zod/mini';
import { httpHandler } from '../../shared/http-handler.js';
import { text } from '../../shared/text.js';
import { identity } from '../composition.js';
import { identityService } from '../service.js';

const userPath = z.strictObject({ userId: text({ min: 1, max: 128 }) });

/** An admin removes a user of its tenant: signed out, deleted from the directory, UserRemoved. */
export const handler = httpHandler({
  route: identityService.routes.removeUser,
  path: userPath,
  handle: async ({ caller, path, correlationId }) => {
    await identity.removeUser(caller, path.userId, correlationId);
    return { statusCode: 204 };
  },
});
