import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { outboxPublisherHandlerFile } from '../../functions/platform/service.js';
import { outboxStreamFilter, outboxStreamRetryAttempts } from '../../functions/shared/outbox.js';
import { ServiceFunction } from './service-function.js';
import type { ServiceTable } from './service-table.js';

export interface OutboxPublisherProps {
  serviceName: string;
  table: ServiceTable;
  bus: IEventBus;
  logRetention: RetentionDays;
  protectData: boolean;
}

/**
 * The table's stream, filtered to new outbox items, feeding the generic publisher: partial batch
 * responses, bisection on error, bounded retries, and an SQS on-failure destination for the rest.
 */
export class OutboxPublisher extends Construct {
  public readonly publisher: ServiceFunction;
  public readonly failures: Queue;

  constructor(scope: Construct, id: string, props: OutboxPublisherProps) {
    super(scope, id);
    this.publisher = new ServiceFunction(this, 'Publisher', {
      serviceName: props.serviceName,
      handlerFile: outboxPublisherHandlerFile,
      logRetention: props.logRetention,
      protectData: props.protectData,
      environment: { EVENT_BUS_NAME: props.bus.eventBusName },
      timeout: Duration.seconds(30),
    });
    props.bus.grantPutEventsTo(this.publisher.function);
    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter destination of the stream mapping; it needs none of its own.',
    });
    this.publisher.function.addEventSource(
      new DynamoEventSource(props.table.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: outboxStreamRetryAttempts,
        maxRecordAge: Duration.days(1),
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.failures),
        filters: [FilterCriteria.filter(outboxStreamFilter)],
      }),
    );
  }
}
