/**
 * Tenants and memberships, and the rules for creating them. Pure: no AWS imports; ids and time are
 * passed in. The users themselves live in the user directory; a membership records the directory's
 * user id, the role and whether the user has signed in yet.
 */
import * as z from 'zod/mini';
import { type Role, roles } from '../../shared/service-definition.js';
import { plainText, text } from '../../shared/text.js';

export const identityLimits = { tenantNameMaxLength: 100, emailMaxLength: 254 } as const;

/** Emails compare case-insensitively (as the directory signs users in), so they are stored lower-cased. */
const email = z.pipe(
  z.email().check(z.maxLength(identityLimits.emailMaxLength), plainText),
  z.transform((value: string) => value.toLowerCase()),
);

export const newTenantSchema = z.strictObject({
  name: text({ min: 1, max: identityLimits.tenantNameMaxLength }),
  adminEmail: email,
});

export const newUserSchema = z.strictObject({
  email,
  role: z.enum(roles),
});

export type NewTenant = z.infer<typeof newTenantSchema>;
export type NewUser = z.infer<typeof newUserSchema>;

export interface Tenant {
  tenantId: string;
  name: string;
  createdAt: string;
}

export const userStatuses = ['INVITED', 'ACTIVE'] as const;
export type UserStatus = (typeof userStatuses)[number];

export interface User {
  userId: string;
  email: string;
  role: Role;
  status: UserStatus;
  createdAt: string;
  /** When an INVITED user's invitation lapses and the sweep removes it; absent once ACTIVE. */
  expiresAt?: string;
}

/** How long an invitation waits to be accepted (`INVITATION_TTL_DAYS` changes it). */
export const defaultInvitationTtlDays = 7;

export const removalReasons = ['REMOVED_BY_ADMIN', 'INVITATION_EXPIRED'] as const;

export interface Removal {
  reason: (typeof removalReasons)[number];
  /** The admin who removed the user; absent for an expired invitation. */
  removedBy?: string;
  removedAt: Date;
}

/** A tenant as stored: the public tenant plus who signed it up, which decides whether a retry is one. */
export interface TenantRecord extends Tenant {
  adminEmail: string;
  adminUserId: string;
}

/**
 * A sign-up sent with an `Idempotency-Key`: the tenant id it chose, kept before the directory is
 * called, so a retry of the same request finishes that tenant instead of starting another.
 */
export interface SignUpRecord {
  /** SHA-256 of the key: the record's key, without storing a client's secret. */
  keyHash: string;
  /** SHA-256 of the canonical request body. */
  fingerprint: string;
  tenantId: string;
  createdAt: string;
  /** Epoch seconds; the table's TTL attribute. An expired record no longer holds its key. */
  expiresAt: number;
}

export function publicTenant({ tenantId, name, createdAt }: Tenant): Tenant {
  return { tenantId, name, createdAt };
}

export function invitedUser(userId: string, input: NewUser, now: Date, ttlDays: number): User {
  return {
    userId,
    email: input.email,
    role: input.role,
    status: 'INVITED',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlDays * 24 * 60 * 60 * 1000).toISOString(),
  };
}
