import type { WriteContext } from '../../shared/outbox.js';
import type { PageRequest as ListOptions, Page } from '../../shared/pagination.js';
import type { Removal, SignUpRecord, TenantRecord, User } from './identity.js';

export type { ListOptions, Page, WriteContext };

/** What the identity use cases need from storage. Adapters implement it. */
export interface IdentityRepository {
  /**
   * Writes the tenant, its first admin's membership and their events in one transaction, so no
   * tenant ever exists without an admin. Returns false when the tenant already exists.
   */
  createTenant(context: WriteContext, tenant: TenantRecord, admin: User): Promise<boolean>;
  getTenant(tenantId: string): Promise<TenantRecord | undefined>;
  /**
   * Keeps the record unless its key holds one that has not expired; returns what the key holds
   * afterwards (this record, or the earlier request's).
   */
  startSignUp(record: SignUpRecord): Promise<SignUpRecord>;
  /** Writes the membership and its event; returns false when the user is already a member. */
  addUser(context: WriteContext, user: User, invitedBy: string): Promise<boolean>;
  listUsers(tenantId: string, options: ListOptions): Promise<Page<User>>;
  getMembership(tenantId: string, userId: string): Promise<User | undefined>;
  /**
   * Deletes the membership and writes UserRemoved in one transaction; `onlyIfInvited` keeps a user
   * who has signed in meanwhile. Returns false when there was nothing (left) to remove.
   */
  removeMembership(
    context: WriteContext,
    user: User,
    removal: Removal,
    options?: { onlyIfInvited: boolean },
  ): Promise<boolean>;
  /** Invitations whose `expiresAt` is before `now`, across tenants, oldest first: at most `limit`. */
  expiredInvitations(now: Date, limit: number): Promise<{ tenantId: string; user: User }[]>;
  /** INVITED -> ACTIVE at the user's first sign-in (the invitation no longer expires); a no-op for an active or unknown user. */
  markActive(tenantId: string, userId: string): Promise<void>;
}
