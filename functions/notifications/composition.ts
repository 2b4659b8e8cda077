import { requiredEnv } from '../shared/env.js';
import { tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbInboxRepository } from './adapters/inbox-repository.js';
import { notificationUseCases } from './domain/notification-use-cases.js';
import { notificationsService } from './service.js';

/** The notifications service wired to DynamoDB, built once per cold start. */
export const notifications = notificationUseCases({
  inbox: dynamoDbInboxRepository(requiredEnv(tableNameVariable(notificationsService.name))),
});
