/**
 * The sandbox's user directory, standing in for the Cognito user pool: the identity service
 * creates and removes users through `POST` and `DELETE /_dev/users` (its local adapter), and
 * `POST /_dev/token {"email"}`
 * signs one in the way Cognito does: it runs the deployed pre-token-generation trigger on a V2
 * event built from the user, and the token carries the claims the trigger added. Users are kept
 * in memory, or in `<dataDir>/user-directory.json` when the sandbox persists its data.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { directoryUserSchema } from '../functions/identity/adapters/local-user-directory.js';
import { isRole } from '../functions/shared/auth/caller.js';
import { tenantClaim } from '../functions/shared/auth/token-profiles.js';
import { type Role, roles } from '../functions/shared/service-definition.js';
import { lambdaContext } from './lambda-context.js';

export const createUserRequestSchema = z.strictObject({
  email: z.email(),
  tenantId: z.string().check(z.minLength(1), z.maxLength(128)),
  role: z.enum(roles),
});

export const removeUserRequestSchema = z.strictObject({ email: z.email() });

/** Cognito's user statuses that matter here: invited (temporary password) or signed in since. */
const storedUserSchema = z.extend(directoryUserSchema, {
  status: z.enum(['FORCE_CHANGE_PASSWORD', 'CONFIRMED']),
});
type StoredUser = z.infer<typeof storedUserSchema>;

export type PreTokenGenerationTrigger = (
  event: PreTokenGenerationV2TriggerEvent,
  context: Context,
) => Promise<PreTokenGenerationV2TriggerEvent>;

export class UnknownUserError extends Error {}

export interface SignedInUser {
  sub: string;
  tenantId: string;
  roles: Role[];
}

export interface LocalUserDirectory {
  /** Cognito's AdminCreateUser rule: an existing email comes back unchanged, with `created: false`. */
  createUser(request: z.infer<typeof createUserRequestSchema>): {
    user: z.infer<typeof directoryUserSchema>;
    created: boolean;
  };
  signIn(email: string): Promise<SignedInUser>;
  /** Cognito's AdminDeleteUser: false when there is no such user. */
  removeUser(email: string): boolean;
}

export function createLocalUserDirectory(options: {
  trigger?: PreTokenGenerationTrigger;
  dataDir?: string;
}): LocalUserDirectory {
  const file = options.dataDir ? join(options.dataDir, 'user-directory.json') : undefined;
  const users = new Map<string, StoredUser>(
    file && existsSync(file)
      ? z
          .array(storedUserSchema)
          .parse(JSON.parse(readFileSync(file, 'utf8')))
          .map((user) => [user.email, user])
      : [],
  );
  const save = () => {
    if (file) writeFileSync(file, JSON.stringify([...users.values()], null, 2));
  };
  const publicUser = ({ status: _status, ...user }: StoredUser) => user;

  return {
    createUser(request) {
      const email = request.email.toLowerCase();
      const existing = users.get(email);
      if (existing) return { user: publicUser(existing), created: false };
      const user: StoredUser = { userId: randomUUID(), ...request, email, status: 'FORCE_CHANGE_PASSWORD' };
      users.set(email, user);
      save();
      return { user: publicUser(user), created: true };
    },

    removeUser(email) {
      const removed = users.delete(email.toLowerCase());
      if (removed) save();
      return removed;
    },

    async signIn(email) {
      const user = users.get(email.toLowerCase());
      if (!user) throw new UnknownUserError(`No user ${email} in the sandbox's directory.`);
      let tenantId = user.tenantId;
      let groups: string[] = [user.role];
      if (options.trigger) {
        const event: PreTokenGenerationV2TriggerEvent = {
          version: '2',
          triggerSource:
            user.status === 'FORCE_CHANGE_PASSWORD'
              ? 'TokenGeneration_NewPasswordChallenge'
              : 'TokenGeneration_Authentication',
          region: 'us-east-1',
          userPoolId: 'us-east-1_sandbox',
          userName: user.email,
          callerContext: { awsSdkVersion: 'sandbox', clientId: 'sandbox' },
          request: {
            userAttributes: {
              sub: user.userId,
              email: user.email,
              email_verified: 'true',
              'custom:tenant_id': user.tenantId,
            },
            groupConfiguration: { groupsToOverride: [user.role] },
            scopes: ['aws.cognito.signin.user.admin'],
          },
          response: { claimsAndScopeOverrideDetails: {} },
        };
        const { response } = await options.trigger(
          event,
          lambdaContext('identity-pre-token-generation', randomUUID()),
        );
        const overrides = response.claimsAndScopeOverrideDetails;
        const claim = overrides.accessTokenGeneration?.claimsToAddOrOverride?.[tenantClaim];
        if (typeof claim !== 'string')
          throw new Error(`The pre-token-generation trigger added no ${tenantClaim}`);
        tenantId = claim;
        groups = overrides.groupOverrideDetails?.groupsToOverride ?? groups;
      }
      if (user.status !== 'CONFIRMED') {
        users.set(user.email, { ...user, status: 'CONFIRMED' });
        save();
      }
      return { sub: user.userId, tenantId, roles: groups.filter(isRole) };
    },
  };
}
