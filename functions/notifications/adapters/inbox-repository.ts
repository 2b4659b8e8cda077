import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { documentClient, insertPut, isConditionFailure, queryTenantItems } from '../../shared/dynamodb.js';
import type { InboxRepository } from '../domain/inbox-port.js';
import { notificationTypes } from '../domain/notification.js';
import {
  inboxPartition,
  notificationEntityType,
  notificationKey,
  notificationSortKeyPrefix,
} from './notifications-keys.js';

const notificationItem = z.object({
  notificationId: z.string(),
  type: z.enum(notificationTypes),
  orderId: z.string(),
  message: z.string(),
  createdAt: z.string(),
});

export function dynamoDbInboxRepository(tableName: string): InboxRepository {
  return {
    async add(tenantId, userId, notification) {
      try {
        const item = {
          ...notificationKey(tenantId, userId, notification.notificationId),
          entityType: notificationEntityType,
          ...notification,
        };
        await documentClient.send(new PutCommand(insertPut(tableName, item).Put));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async list(tenantId, userId, page) {
      const { items, ...rest } = await queryTenantItems(
        tableName,
        tenantId,
        notificationSortKeyPrefix,
        page,
        {
          partition: inboxPartition(tenantId, userId),
          newestFirst: true,
        },
      );
      return { items: items.map((item) => notificationItem.parse(item)), ...rest };
    },
  };
}
