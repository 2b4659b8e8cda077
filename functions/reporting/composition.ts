import { requiredEnv } from '../shared/env.js';
import { tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbReportingRepository } from './adapters/reporting-repository.js';
import { reportingUseCases } from './domain/reporting-use-cases.js';
import { reportingService } from './service.js';

/** The read models wired to DynamoDB, built once per cold start. */
export const reporting = reportingUseCases({
  repository: dynamoDbReportingRepository(requiredEnv(tableNameVariable(reportingService.name))),
});
