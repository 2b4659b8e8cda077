import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  undeliveredEventsQueueName,
  undeliveredEventsQueueVariable,
} from '../../functions/platform/outbox/undelivered-events.js';
import { outboxPublisherHandlerFile } from '../../functions/platform/service.js';
import { outboxStreamFilter, outboxStreamRetryAttempts } from '../../functions/shared/outbox.js';
import { holdingQueue, queueNotEmptyAlarm } from './holding-queue.js';
import { ServiceFunction } from './service-function.js';
import type { ServiceTable } from './service-table.js';

export interface OutboxPublisherProps {
  serviceName: string;
  /** `serverless-saas-<stage>`: the undelivered-events queue is named from it, for `npm run redrive`. */
  namePrefix: string;
  table: ServiceTable;
  bus: IEventBus;
  logRetention: RetentionDays;
  protectData: boolean;
}

/**
 * The table's stream, filtered to new outbox items, feeding the generic publisher: partial batch
 * responses, bisection on error, bounded retries, and an SQS on-failure destination for the rest.
 * Events that keep failing to publish are parked whole in the undelivered-events queue (14 days);
 * either queue holding a message raises an alarm.
 */
export class OutboxPublisher extends Construct {
  public readonly publisher: ServiceFunction;
  public readonly failures: Queue;
  public readonly undelivered: Queue;
  public readonly alarms: readonly Alarm[];

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
    this.undelivered = holdingQueue(this, 'UndeliveredEvents', {
      protectData: props.protectData,
      queueName: undeliveredEventsQueueName(props.namePrefix, props.serviceName),
      noDeadLetterQueueBecause:
        'It holds events that could not be published until `npm run redrive` sends them; nothing consumes it.',
    });
    this.undelivered.grantSendMessages(this.publisher.function);
    this.publisher.function.addEnvironment(undeliveredEventsQueueVariable, this.undelivered.queueUrl);
    this.failures = holdingQueue(this, 'Failures', {
      protectData: props.protectData,
      noDeadLetterQueueBecause:
        'This queue is the dead-letter destination of the stream mapping; it needs none of its own.',
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
    this.alarms = [
      queueNotEmptyAlarm(
        this,
        'UndeliveredEventsAlarm',
        this.undelivered,
        'Events could not be published; run `npm run redrive` once the bus accepts them.',
      ),
      queueNotEmptyAlarm(
        this,
        'StreamFailuresAlarm',
        this.failures,
        'The publisher gave up on stream batches after its retries.',
      ),
      new Alarm(this, 'IteratorAgeAlarm', {
        alarmDescription:
          'Events wait over a minute in the table stream before publishing, 3 minutes running: the publisher is failing or throttled.',
        metric: this.publisher.function.metric('IteratorAge', {
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        threshold: 60_000,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
