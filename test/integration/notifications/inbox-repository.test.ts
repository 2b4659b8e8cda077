import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbInboxRepository } from '../../../functions/notifications/adapters/inbox-repository.js';
import type { Notification } from '../../../functions/notifications/domain/notification.js';
import { notificationsService } from '../../../functions/notifications/service.js';
import { BadRequestError } from '../../../functions/shared/errors.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';

const client = new DynamoDBClient({});
const inbox = dynamoDbInboxRepository(sandboxTableName(notificationsService.name));

let tenantId: string;
const notification = (notificationId: string): Notification => ({
  notificationId,
  type: 'ORDER_CONFIRMED',
  orderId: `order-${notificationId}`,
  message: 'Your order is confirmed.',
  createdAt: '2026-11-29T10:00:00.000Z',
});

beforeAll(async () => {
  await createServiceTables(client, [notificationsService]);
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
});

afterAll(() => client.destroy());

describe('dynamoDbInboxRepository against DynamoDB Local', () => {
  it('adds a notification once per id', async () => {
    await expect(inbox.add(tenantId, 'u1', notification('01A'))).resolves.toBe(true);
    await expect(inbox.add(tenantId, 'u1', notification('01A'))).resolves.toBe(false);

    expect((await inbox.list(tenantId, 'u1', { limit: 10 })).items).toEqual([notification('01A')]);
  });

  it("lists a user's inbox newest first, page by page, and nobody else's", async () => {
    for (const id of ['01A', '01C', '01B']) await inbox.add(tenantId, 'u1', notification(id));
    await inbox.add(tenantId, 'u2', notification('01Z'));

    const first = await inbox.list(tenantId, 'u1', { limit: 2 });
    const second = await inbox.list(tenantId, 'u1', { limit: 2, cursor: first.nextCursor as string });

    expect(first.items.map((item) => item.notificationId)).toEqual(['01C', '01B']);
    expect(second.items.map((item) => item.notificationId)).toEqual(['01A']);
    expect(second.nextCursor).toBeUndefined();
  });

  it("refuses one user's cursor for another user of the same tenant", async () => {
    for (const id of ['01A', '01B']) await inbox.add(tenantId, 'u1', notification(id));
    const { nextCursor } = await inbox.list(tenantId, 'u1', { limit: 1 });

    await expect(inbox.list(tenantId, 'u2', { limit: 1, cursor: nextCursor as string })).rejects.toThrow(
      BadRequestError,
    );
  });
});
