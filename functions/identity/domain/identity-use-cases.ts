import type { Caller } from '../../shared/auth/caller.js';
import { ConflictError } from '../../shared/errors.js';
import {
  invitedUser,
  type NewTenant,
  type NewUser,
  publicTenant,
  type Tenant,
  type TenantRecord,
  type User,
} from './identity.js';
import type { IdentityRepository, ListOptions, Page } from './identity-port.js';
import type { UserDirectory } from './user-directory.js';

/**
 * One message whatever the email belongs to (this tenant or another), so an invitation reveals no
 * more than the directory's own rule that an email is one user.
 */
export class EmailTakenError extends ConflictError {
  constructor() {
    super('A user with this email already exists.');
  }
}

export interface IdentityDependencies {
  repository: IdentityRepository;
  directory: UserDirectory;
  newId: () => string;
  now: () => Date;
}

export function identityUseCases({ repository, directory, newId, now }: IdentityDependencies) {
  return {
    /**
     * Creates the tenant and invites its first admin. Safe to retry: the directory holds the email
     * with the tenant id of the first attempt, so a retry after a timeout finishes that attempt (or
     * returns its tenant) instead of making a second tenant. The tenant and the admin's membership
     * are one transaction, so no tenant exists without its admin.
     */
    async createTenant(input: NewTenant, correlationId: string): Promise<Tenant> {
      const { user, created } = await directory.createUser({
        email: input.adminEmail,
        tenantId: newId(),
        role: 'admin',
      });
      const sameSignUp = (stored: TenantRecord) =>
        stored.adminUserId === user.userId && stored.name === input.name;
      if (!created) {
        const stored = await repository.getTenant(user.tenantId);
        if (stored) {
          if (sameSignUp(stored)) return publicTenant(stored);
          throw new EmailTakenError();
        }
        // The directory has the user but no tenant was written: only an unfinished sign-up leaves
        // an admin like that, and finishing it is what this request asks for.
        if (user.role !== 'admin') throw new EmailTakenError();
      }
      const createdAt = now();
      const tenant: TenantRecord = {
        tenantId: user.tenantId,
        name: input.name,
        createdAt: createdAt.toISOString(),
        adminEmail: user.email,
        adminUserId: user.userId,
      };
      const admin = invitedUser(user.userId, { email: user.email, role: 'admin' }, createdAt);
      if (await repository.createTenant({ tenantId: tenant.tenantId, correlationId }, tenant, admin)) {
        return publicTenant(tenant);
      }
      const stored = await repository.getTenant(tenant.tenantId);
      if (stored && sameSignUp(stored)) return publicTenant(stored);
      throw new EmailTakenError();
    },

    /** Adds a user to the caller's tenant; a retry after a half-finished attempt completes it. */
    async inviteUser(caller: Caller, input: NewUser, correlationId: string): Promise<User> {
      const { user, created } = await directory.createUser({
        email: input.email,
        tenantId: caller.tenantId,
        role: input.role,
      });
      if (!created && (user.tenantId !== caller.tenantId || user.role !== input.role)) {
        throw new EmailTakenError();
      }
      const member = invitedUser(user.userId, input, now());
      const added = await repository.addUser(
        { tenantId: caller.tenantId, correlationId },
        member,
        caller.userId,
      );
      if (!added) throw new EmailTakenError();
      return member;
    },

    listUsers(tenantId: string, options: ListOptions): Promise<Page<User>> {
      return repository.listUsers(tenantId, options);
    },

    /** The user signed in for the first time (the directory's first-sign-in event). */
    activateUser(tenantId: string, userId: string): Promise<void> {
      return repository.markActive(tenantId, userId);
    },
  };
}

export type IdentityUseCases = ReturnType<typeof identityUseCases>;
