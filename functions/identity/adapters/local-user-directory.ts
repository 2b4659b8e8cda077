/**
 * The user directory of the sandbox's local OIDC issuer, over its `/_dev/users` endpoint: the same
 * rules as Cognito (an email is one user with one tenant; creating an existing email returns it),
 * and the issuer then signs that user in with `POST /_dev/token {"email"}`.
 */
import * as z from 'zod/mini';
import { roles } from '../../shared/service-definition.js';
import type { DirectoryUser, UserDirectory } from '../domain/user-directory.js';

const requestTimeoutMs = 3000;

export const directoryUserSchema = z.strictObject({
  userId: z.string(),
  email: z.string(),
  tenantId: z.string(),
  role: z.enum(roles),
});

const createUserResponse = z.object({ user: directoryUserSchema });

export function localUserDirectory(endpoint: string): UserDirectory {
  return {
    async createUser(request) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      if (response.status !== 200 && response.status !== 201) {
        throw new Error(`The local user directory answered ${response.status}`);
      }
      const { user } = createUserResponse.parse(await response.json());
      return { user: user satisfies DirectoryUser, created: response.status === 201 };
    },

    async removeUser(email) {
      const response = await fetch(endpoint, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      if (response.status !== 204 && response.status !== 404) {
        throw new Error(`The local user directory answered ${response.status}`);
      }
    },
  };
}
