import type { Caller } from '../../shared/auth/caller.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import {
  IdempotencyKeyReusedError,
  idempotencyExpiry,
  idempotencyKeyDigest,
  requestFingerprint,
} from '../../shared/idempotency.js';
import {
  defaultInvitationTtlDays,
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

export interface SignUpRequest {
  correlationId: string;
  idempotencyKey?: string;
}

export interface SignUpResult {
  tenant: Tenant;
  /** The answer to an earlier request with the same key and body. */
  replayed: boolean;
}

export class CannotRemoveSelfError extends ConflictError {
  constructor() {
    super('An admin cannot remove themselves: another admin of the tenant can.');
  }
}

export interface IdentityDependencies {
  repository: IdentityRepository;
  directory: UserDirectory;
  newId: () => string;
  now: () => Date;
  /** @default defaultInvitationTtlDays */
  invitationTtlDays?: number;
}

/** Invitations the sweep removes in one run; the next run takes the rest. */
const sweepBatchSize = 100;

export function identityUseCases({
  repository,
  directory,
  newId,
  now,
  invitationTtlDays = defaultInvitationTtlDays,
}: IdentityDependencies) {
  /** The key's record: the tenant id its first request chose, and that tenant once it exists. */
  async function startSignUp(input: NewTenant, key: string) {
    const startedAt = now();
    const fingerprint = requestFingerprint(input);
    const record = await repository.startSignUp({
      keyHash: idempotencyKeyDigest(key),
      fingerprint,
      tenantId: newId(),
      createdAt: startedAt.toISOString(),
      expiresAt: idempotencyExpiry(startedAt),
    });
    if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    const stored = await repository.getTenant(record.tenantId);
    return { tenantId: record.tenantId, completed: stored && publicTenant(stored) };
  }

  return {
    /**
     * Creates the tenant and invites its first admin. The tenant and the admin's membership are one
     * transaction, so no tenant exists without its admin. An email the directory already has is a
     * conflict that names nothing, whatever its tenant or role, and that user is left as it was.
     *
     * With an `Idempotency-Key`, the same key and body within 24 hours answer the first response,
     * and a retry after a failure half-way finishes the first attempt: the key keeps the tenant id
     * that attempt chose, and a directory user holding that id can only be that attempt's.
     */
    async createTenant(input: NewTenant, request: SignUpRequest): Promise<SignUpResult> {
      const signUp =
        request.idempotencyKey === undefined ? undefined : await startSignUp(input, request.idempotencyKey);
      if (signUp?.completed) return { tenant: signUp.completed, replayed: true };
      const tenantId = signUp?.tenantId ?? newId();
      const result = await directory.createUser({ email: input.adminEmail, tenantId, role: 'admin' });
      const ownEarlierAttempt =
        signUp !== undefined && result.user.tenantId === tenantId && result.user.role === 'admin';
      if (!result.created && !ownEarlierAttempt) throw new EmailTakenError();
      const { user } = result;
      const createdAt = now();
      const tenant: TenantRecord = {
        tenantId,
        name: input.name,
        createdAt: createdAt.toISOString(),
        adminEmail: user.email,
        adminUserId: user.userId,
      };
      const admin = invitedUser(
        user.userId,
        { email: user.email, role: 'admin' },
        createdAt,
        invitationTtlDays,
      );
      if (await repository.createTenant({ tenantId, correlationId: request.correlationId }, tenant, admin)) {
        return { tenant: publicTenant(tenant), replayed: false };
      }
      // A concurrent retry of the same keyed sign-up wrote it first.
      const stored = await repository.getTenant(tenantId);
      if (stored && stored.adminUserId === user.userId)
        return { tenant: publicTenant(stored), replayed: true };
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
      const member = invitedUser(user.userId, input, now(), invitationTtlDays);
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

    /**
     * Removes a user of the caller's tenant: from the directory first (signed out, then deleted),
     * then its membership with UserRemoved. A retry after a failure half-way finishes it; another
     * tenant's user, or an unknown id, is 404.
     */
    async removeUser(caller: Caller, userId: string, correlationId: string): Promise<void> {
      if (userId === caller.userId) throw new CannotRemoveSelfError();
      const member = await repository.getMembership(caller.tenantId, userId);
      if (!member) throw new NotFoundError(`No user ${userId} in this tenant.`);
      await directory.removeUser(member.email);
      // False only when a concurrent removal wrote it first: the user is gone either way.
      await repository.removeMembership({ tenantId: caller.tenantId, correlationId }, member, {
        reason: 'REMOVED_BY_ADMIN',
        removedBy: caller.userId,
        removedAt: now(),
      });
    },

    /**
     * Removes invitations not accepted in time, which frees their emails. The membership goes
     * first, on condition it is still INVITED, so a user who signs in meanwhile keeps its account;
     * the directory user follows.
     */
    async sweepExpiredInvitations(correlationId: string): Promise<number> {
      const expired = await repository.expiredInvitations(now(), sweepBatchSize);
      let removed = 0;
      for (const { tenantId, user } of expired) {
        const taken = await repository.removeMembership(
          { tenantId, correlationId },
          user,
          { reason: 'INVITATION_EXPIRED', removedAt: now() },
          { onlyIfInvited: true },
        );
        if (!taken) continue;
        await directory.removeUser(user.email);
        removed += 1;
      }
      return removed;
    },

    /** The user signed in for the first time (the directory's first-sign-in event). */
    activateUser(tenantId: string, userId: string): Promise<void> {
      return repository.markActive(tenantId, userId);
    },
  };
}

export type IdentityUseCases = ReturnType<typeof identityUseCases>;
