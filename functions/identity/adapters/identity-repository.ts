import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { tenantCreated } from '../../../events/identity/tenant-created.js';
import { userInvited } from '../../../events/identity/user-invited.js';
import { userRemoved } from '../../../events/identity/user-removed.js';
import {
  documentClient,
  failedConditions,
  insertPut,
  isConditionFailure,
  putIfAbsentOrStored,
  queryTenantItems,
} from '../../shared/dynamodb.js';
import { epochSeconds } from '../../shared/idempotency.js';
import { outboxPut } from '../../shared/outbox.js';
import { roles } from '../../shared/service-definition.js';
import { tenantOfPartition } from '../../shared/tenant-keys.js';
import { type TenantRecord, type User, userStatuses } from '../domain/identity.js';
import type { IdentityRepository } from '../domain/identity-port.js';
import {
  invitationIndexKey,
  invitationsIndex,
  membershipEntityType,
  membershipKey,
  membershipSortKeyPrefix,
  signUpEntityType,
  signUpKey,
  tenantEntityType,
  tenantKey,
} from './identity-keys.js';

/** Items are parsed on the way out: the entity's fields, in the contract's order, keys dropped. */
const tenantItem = z.object({
  tenantId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  adminEmail: z.string(),
  adminUserId: z.string(),
});

const membershipItem = z.object({
  PK: z.string(),
  userId: z.string(),
  email: z.string(),
  role: z.enum(roles),
  status: z.enum(userStatuses),
  createdAt: z.string(),
  /** Stored under its own name: `expiresAt` is the table's TTL attribute (epoch seconds). */
  invitationExpiresAt: z.optional(z.string()),
});

const signUpItem = z.object({
  keyHash: z.string(),
  fingerprint: z.string(),
  tenantId: z.string(),
  createdAt: z.string(),
  expiresAt: z.number(),
});

const toUser = (item: Record<string, unknown>): User => {
  const { PK: _key, invitationExpiresAt, ...user } = membershipItem.parse(item);
  return user.status === 'INVITED' && invitationExpiresAt
    ? { ...user, expiresAt: invitationExpiresAt }
    : user;
};

const membershipPut = (tableName: string, tenantId: string, { expiresAt, ...user }: User) =>
  insertPut(tableName, {
    ...membershipKey(tenantId, user.userId),
    entityType: membershipEntityType,
    ...user,
    ...(expiresAt
      ? { invitationExpiresAt: expiresAt, ...invitationIndexKey(tenantId, user.userId, expiresAt) }
      : {}),
  });

export function dynamoDbIdentityRepository(tableName: string): IdentityRepository {
  return {
    async createTenant(context, tenant, admin) {
      const { tenantId } = context;
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              insertPut(tableName, { ...tenantKey(tenantId), entityType: tenantEntityType, ...tenant }),
              membershipPut(tableName, tenantId, admin),
              outboxPut(tableName, tenantCreated, context, {
                tenantId,
                name: tenant.name,
                adminUserId: admin.userId,
                createdAt: tenant.createdAt,
              }),
              outboxPut(tableName, userInvited, context, {
                userId: admin.userId,
                email: admin.email,
                role: admin.role,
                createdAt: admin.createdAt,
              }),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)) return false;
        throw error;
      }
    },

    async getTenant(tenantId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: tenantKey(tenantId), ConsistentRead: true }),
      );
      return Item ? (tenantItem.parse(Item) satisfies TenantRecord) : undefined;
    },

    async startSignUp(record) {
      const stored = await putIfAbsentOrStored(
        tableName,
        { ...signUpKey(record.keyHash), entityType: signUpEntityType, ...record },
        { expiredBefore: epochSeconds(record.createdAt) },
      );
      return signUpItem.parse(stored);
    },

    async addUser(context, user, invitedBy) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              membershipPut(tableName, context.tenantId, user),
              outboxPut(tableName, userInvited, context, {
                userId: user.userId,
                email: user.email,
                role: user.role,
                invitedBy,
                createdAt: user.createdAt,
              }),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)?.includes(0)) return false;
        throw error;
      }
    },

    async listUsers(tenantId, page) {
      const { items, ...rest } = await queryTenantItems(tableName, tenantId, membershipSortKeyPrefix, page);
      return { items: items.map(toUser), ...rest };
    },

    async getMembership(tenantId, userId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: membershipKey(tenantId, userId), ConsistentRead: true }),
      );
      return Item ? toUser(Item) : undefined;
    },

    async removeMembership(context, user, removal, options) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: tableName,
                  Key: membershipKey(context.tenantId, user.userId),
                  ConditionExpression: options?.onlyIfInvited
                    ? 'attribute_exists(PK) AND #status = :invited'
                    : 'attribute_exists(PK)',
                  ...(options?.onlyIfInvited
                    ? {
                        ExpressionAttributeNames: { '#status': 'status' },
                        ExpressionAttributeValues: { ':invited': 'INVITED' },
                      }
                    : {}),
                },
              },
              outboxPut(tableName, userRemoved, context, {
                userId: user.userId,
                email: user.email,
                reason: removal.reason,
                ...(removal.removedBy ? { removedBy: removal.removedBy } : {}),
                removedAt: removal.removedAt.toISOString(),
              }),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)?.includes(0)) return false;
        throw error;
      }
    },

    async expiredInvitations(now, limit) {
      const { Items = [] } = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: invitationsIndex,
          KeyConditionExpression: 'GSI1PK = :invitations AND GSI1SK < :now',
          ExpressionAttributeValues: { ':invitations': 'INVITATIONS', ':now': now.toISOString() },
          Limit: limit,
        }),
      );
      return Items.map((item) => ({ tenantId: tenantOfPartition(String(item.PK)), user: toUser(item) }));
    },

    async markActive(tenantId, userId) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: membershipKey(tenantId, userId),
            // Accepted: the invitation no longer expires, and leaves the sweep's index.
            UpdateExpression: 'SET #status = :active REMOVE invitationExpiresAt, GSI1PK, GSI1SK',
            ConditionExpression: 'attribute_exists(PK) AND #status = :invited',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': 'ACTIVE', ':invited': 'INVITED' },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
