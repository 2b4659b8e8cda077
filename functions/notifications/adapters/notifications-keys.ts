/**
 * Every key of the notifications table is built here. Access patterns:
 * - a user's inbox, newest first:  Query    PK=T#<tenant>#USER#<userId>  SK begins_with NOTIFICATION#  (descending)
 * - one notification per event:    Put      PK=T#<tenant>#USER#<userId>  SK=NOTIFICATION#<eventId>     (attribute_not_exists: idempotent)
 * - a user's WebSocket connections: Query    PK=T#<tenant>#USER#<userId>#CONNECTIONS  SK=SLOT#<0..4>  (one slot per open connection: the cap)
 * - take a slot:                    Put      same key, attribute_not_exists or expired (TTL: the token's expiry)
 * - the tenant's admins' connections: Query  PK=T#<tenant>#ADMIN_CONNECTIONS  SK=<userId>#<connectionId>  (a copy of each admin's slot)
 * - who hears of an order:          the owner's connections and the admins' ones: two keys, never the whole tenant
 *
 * A partition per user: one user's inbox is written at that user's order rate, far below a
 * partition's 1,000 writes a second.
 */
import { tenantPartition } from '../../shared/tenant-keys.js';

export const notificationEntityType = 'NOTIFICATION';
export const notificationSortKeyPrefix = 'NOTIFICATION#';

export const inboxPartition = (tenantId: string, userId: string) =>
  `${tenantPartition(tenantId)}#USER#${userId}`;

export const connectionEntityType = 'CONNECTION';

export const userConnectionsPartition = (tenantId: string, userId: string) =>
  `${inboxPartition(tenantId, userId)}#CONNECTIONS`;

export const connectionSlotKey = (tenantId: string, userId: string, slot: number) => ({
  PK: userConnectionsPartition(tenantId, userId),
  SK: `SLOT#${slot}`,
});

export const adminConnectionsPartition = (tenantId: string) =>
  `${tenantPartition(tenantId)}#ADMIN_CONNECTIONS`;

export const adminConnectionKey = (tenantId: string, userId: string, connectionId: string) => ({
  PK: adminConnectionsPartition(tenantId),
  SK: `${userId}#${connectionId}`,
});

export const notificationKey = (tenantId: string, userId: string, notificationId: string) => ({
  PK: inboxPartition(tenantId, userId),
  SK: `${notificationSortKeyPrefix}${notificationId}`,
});
