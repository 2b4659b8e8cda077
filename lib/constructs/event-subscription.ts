import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type EventPattern, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type EventPattern as DeclaredPattern,
  type SubscriptionDefinition,
  subscriptionDefaults,
} from '../../functions/shared/service-definition.js';
import { holdingQueue, queueNotEmptyAlarm } from './holding-queue.js';

export interface EventSubscriptionProps {
  definition: SubscriptionDefinition;
  bus: IEventBus;
  consumer: IFunction;
  /** The consumer's timeout: the queue hides a received message six times as long (AWS's advice). */
  consumerTimeout: Duration;
  protectData: boolean;
}

/** EventBridge's JSON field names as the CDK's typed pattern spells them. */
function cdkPattern(pattern: DeclaredPattern): EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern as Record<string, unknown>;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as EventPattern;
}

/**
 * A declared subscription, built: a rule on the bus with the declared pattern, an encrypted SQS
 * queue it targets (so events wait while the consumer is down), a dead-letter queue for messages
 * that keep failing, and the consumer reading the queue in batches with partial batch responses.
 */
export class EventSubscription extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly rule: Rule;
  /** Fires when any message waits in the dead-letter queue; it notifies the stage's alarm topic. */
  public readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: EventSubscriptionProps) {
    super(scope, id);
    const { definition } = props;
    const removalPolicy = props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.deadLetterQueue = holdingQueue(this, 'DeadLetters', {
      protectData: props.protectData,
      noDeadLetterQueueBecause:
        'This queue is the dead-letter queue of the subscription queue; it needs none of its own.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: definition.maxReceiveCount ?? subscriptionDefaults.maxReceiveCount,
      },
      removalPolicy,
    });
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      eventPattern: cdkPattern(definition.eventPattern),
      targets: [
        new SqsQueue(this.queue, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    this.deadLetterAlarm = queueNotEmptyAlarm(
      this,
      'DeadLettersAlarm',
      this.deadLetterQueue,
      'Events this consumer could not process wait in its dead-letter queue.',
    );
    props.consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: definition.batchSize ?? subscriptionDefaults.batchSize,
        reportBatchItemFailures: true,
      }),
    );
  }
}
