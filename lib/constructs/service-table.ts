import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { TableDefinition } from '../../functions/shared/service-definition.js';

export interface ServiceTableProps {
  definition: TableDefinition;
  /** Physical name; see serviceTableName. */
  tableName: string;
  protectData: boolean;
}

/**
 * Tables are named `<prefix>-<service>` (e.g. `serverless-saas-dev-orders`): readable in the
 * console, and the only way the Cognito trigger in the platform stack can be granted the identity
 * table without a cross-stack cycle.
 */
export const serviceTableName = (namePrefix: string, serviceName: string): string =>
  `${namePrefix}-${serviceName}`;

/** The stage's rate-limit buckets (see functions/shared/rate-limiter.ts). */
export const rateLimitTableName = (namePrefix: string): string => `${namePrefix}-rate-limits`;

/** A service's single table, built from its plain-data definition (the sandbox builds the same). */
export class ServiceTable extends Construct {
  public readonly table: TableV2;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    const { definition } = props;
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      globalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(index.include
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : {}),
      })),
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
