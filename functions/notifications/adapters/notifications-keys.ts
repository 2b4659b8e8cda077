/**
 * Every key of the notifications table is built here. Access patterns:
 * - a user's inbox, newest first:  Query    PK=T#<tenant>#USER#<userId>  SK begins_with NOTIFICATION#  (descending)
 * - one notification per event:    Put      PK=T#<tenant>#USER#<userId>  SK=NOTIFICATION#<eventId>     (attribute_not_exists: idempotent)
 * - a WebSocket connection:         Put/Del  PK=T#<tenant>#CONNECTIONS    SK=<userId>#<connectionId>     (TTL: API Gateway closes it within 2 hours)
 * - who hears of an order:          Query    PK=T#<tenant>#CONNECTIONS    filter: the owner, or an admin
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

export const connectionsPartition = (tenantId: string) => `${tenantPartition(tenantId)}#CONNECTIONS`;

export const connectionKey = (tenantId: string, userId: string, connectionId: string) => ({
  PK: connectionsPartition(tenantId),
  SK: `${userId}#${connectionId}`,
});

export const notificationKey = (tenantId: string, userId: string, notificationId: string) => ({
  PK: inboxPartition(tenantId, userId),
  SK: `${notificationSortKeyPrefix}${notificationId}`,
});
