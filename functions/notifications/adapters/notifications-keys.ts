/**
 * Every key of the notifications table is built here. Access patterns:
 * - a user's inbox, newest first:  Query    PK=T#<tenant>#USER#<userId>  SK begins_with NOTIFICATION#  (descending)
 * - one notification per event:    Put      PK=T#<tenant>#USER#<userId>  SK=NOTIFICATION#<eventId>     (attribute_not_exists: idempotent)
 *
 * A partition per user: one user's inbox is written at that user's order rate, far below a
 * partition's 1,000 writes a second.
 */
import { tenantPartition } from '../../shared/tenant-keys.js';

export const notificationEntityType = 'NOTIFICATION';
export const notificationSortKeyPrefix = 'NOTIFICATION#';

export const inboxPartition = (tenantId: string, userId: string) =>
  `${tenantPartition(tenantId)}#USER#${userId}`;

export const notificationKey = (tenantId: string, userId: string, notificationId: string) => ({
  PK: inboxPartition(tenantId, userId),
  SK: `${notificationSortKeyPrefix}${notificationId}`,
});
