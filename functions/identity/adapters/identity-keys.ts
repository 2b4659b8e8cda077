/**
 * Every key of the identity table is built here. Access patterns:
 * - tenant by id:               GetItem  PK=T#<tenant>          SK=TENANT
 * - membership by user:         GetItem  PK=T#<tenant>          SK=USER#<userId>
 * - users of a tenant:          Query    PK=T#<tenant>          SK begins_with USER#      (admins' GET /users)
 * - outbox events:              Put      PK=T#<tenant>#OUTBOX#<eventId> SK=EVENT       (see shared/outbox.ts)
 * - sign-up by Idempotency-Key: Put/Get  PK=SIGNUP#<sha256(key)> SK=SIGNUP
 * - invitations past expiry:    Query    GSI1PK=INVITATIONS  GSI1SK < <now ISO>  (GSI1, sparse: INVITED memberships only)
 *
 * The sign-up record is the one key that does not start with a tenant: it is written before the
 * tenant exists, to fix the tenant id that a retry with the same key finishes. It holds no tenant
 * data, only that id and a fingerprint of the request, and expires after 24 hours. The sweep's index
 * key is the other one: invitations of every tenant, written at the platform's invitation rate
 * (far below a partition's 1,000 writes a second), each leaving it when accepted or removed.
 *
 * An email is unique across the whole platform: that is the user directory's rule (one Cognito
 * user per email, with one immutable tenant), and a membership is keyed by the directory's user
 * id, so the table needs no key of its own for it and none that crosses tenants.
 */
import { tenantPartition } from '../../shared/tenant-keys.js';

export const tenantEntityType = 'TENANT';
export const membershipEntityType = 'USER';

export const membershipSortKeyPrefix = 'USER#';

export const signUpEntityType = 'SIGNUP';

export const signUpKey = (keyHash: string) => ({ PK: `SIGNUP#${keyHash}`, SK: 'SIGNUP' });

export const invitationsIndex = 'GSI1';

/** An INVITED membership's index keys: sorted by expiry, then tenant and user to keep them apart. */
export const invitationIndexKey = (tenantId: string, userId: string, expiresAt: string) => ({
  GSI1PK: 'INVITATIONS',
  GSI1SK: `${expiresAt}#${tenantId}#${userId}`,
});

export const tenantKey = (tenantId: string) => ({ PK: tenantPartition(tenantId), SK: 'TENANT' });

export const membershipKey = (tenantId: string, userId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${membershipSortKeyPrefix}${userId}`,
});
