/**
 * In-memory stand-ins for the identity service's ports, with the same rules as the real adapters:
 * the repository's transactions are all-or-nothing, and the directory keeps one user per email.
 */
import { randomUUID } from 'node:crypto';
import type {
  Removal,
  SignUpRecord,
  TenantRecord,
  User,
} from '../../../../functions/identity/domain/identity.js';
import type { IdentityRepository } from '../../../../functions/identity/domain/identity-port.js';
import type {
  CreateUserResult,
  DirectoryUserRequest,
  ExistingDirectoryUser,
  UserDirectory,
} from '../../../../functions/identity/domain/user-directory.js';
import { epochSeconds } from '../../../../functions/shared/idempotency.js';

export class InMemoryIdentityRepository implements IdentityRepository {
  readonly tenants = new Map<string, TenantRecord>();
  /** `<tenantId>/<userId>` -> membership */
  readonly memberships = new Map<string, User>();
  readonly events: {
    tenantId: string;
    type: 'TenantCreated' | 'UserInvited' | 'UserRemoved';
    data: unknown;
  }[] = [];
  failNextWrite = false;

  private guard(): void {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('DynamoDB is unavailable');
    }
  }

  async createTenant(context: { tenantId: string }, tenant: TenantRecord, admin: User): Promise<boolean> {
    this.guard();
    if (this.tenants.has(context.tenantId)) return false;
    if (this.memberships.has(`${context.tenantId}/${admin.userId}`)) return false;
    this.tenants.set(context.tenantId, tenant);
    this.memberships.set(`${context.tenantId}/${admin.userId}`, admin);
    this.events.push({ tenantId: context.tenantId, type: 'TenantCreated', data: tenant });
    this.events.push({ tenantId: context.tenantId, type: 'UserInvited', data: admin });
    return true;
  }

  readonly signUps = new Map<string, SignUpRecord>();

  async startSignUp(record: SignUpRecord): Promise<SignUpRecord> {
    const stored = this.signUps.get(record.keyHash);
    if (stored && stored.expiresAt >= epochSeconds(record.createdAt)) return stored;
    this.signUps.set(record.keyHash, record);
    return record;
  }

  async getTenant(tenantId: string): Promise<TenantRecord | undefined> {
    return this.tenants.get(tenantId);
  }

  async addUser(context: { tenantId: string }, user: User): Promise<boolean> {
    this.guard();
    const key = `${context.tenantId}/${user.userId}`;
    if (this.memberships.has(key)) return false;
    this.memberships.set(key, user);
    this.events.push({ tenantId: context.tenantId, type: 'UserInvited', data: user });
    return true;
  }

  async listUsers(tenantId: string) {
    return {
      items: [...this.memberships].filter(([key]) => key.startsWith(`${tenantId}/`)).map(([, user]) => user),
    };
  }

  async markActive(tenantId: string, userId: string): Promise<void> {
    const user = this.memberships.get(`${tenantId}/${userId}`);
    if (user?.status === 'INVITED') {
      const { expiresAt: _accepted, ...active } = user;
      this.memberships.set(`${tenantId}/${userId}`, { ...active, status: 'ACTIVE' });
    }
  }

  async getMembership(tenantId: string, userId: string): Promise<User | undefined> {
    return this.memberships.get(`${tenantId}/${userId}`);
  }

  async removeMembership(
    context: { tenantId: string },
    user: User,
    removal: Removal,
    options?: { onlyIfInvited: boolean },
  ): Promise<boolean> {
    this.guard();
    const key = `${context.tenantId}/${user.userId}`;
    const stored = this.memberships.get(key);
    if (!stored || (options?.onlyIfInvited && stored.status !== 'INVITED')) return false;
    this.memberships.delete(key);
    this.events.push({
      tenantId: context.tenantId,
      type: 'UserRemoved',
      data: { userId: user.userId, ...removal },
    });
    return true;
  }

  async expiredInvitations(now: Date, limit: number) {
    return [...this.memberships]
      .filter(([, user]) => user.expiresAt !== undefined && user.expiresAt < now.toISOString())
      .slice(0, limit)
      .map(([key, user]) => ({ tenantId: key.split('/')[0] as string, user }));
  }
}

export class InMemoryUserDirectory implements UserDirectory {
  /** By email; a user without `role` is one whose creation stopped before its group was added. */
  readonly users = new Map<string, ExistingDirectoryUser>();
  failNextCreate = false;

  async createUser(request: DirectoryUserRequest): Promise<CreateUserResult> {
    if (this.failNextCreate) {
      this.failNextCreate = false;
      throw new Error('Cognito is unavailable');
    }
    const existing = this.users.get(request.email);
    if (existing) return { user: existing, created: false };
    const user = { userId: randomUUID(), ...request };
    this.users.set(request.email, user);
    return { user, created: true };
  }

  async removeUser(email: string): Promise<void> {
    this.users.delete(email);
  }
}
