/**
 * Where failed work waits for a person: dead-letter queues and the undelivered-events queues, all
 * encrypted, TLS only and kept 14 days; and the alarm that fires on the first thing that fails.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export function holdingQueue(
  scope: Construct,
  id: string,
  props: {
    protectData: boolean;
    /** Why the queue needs no dead-letter queue of its own (cdk-nag AwsSolutions-SQS3). */
    noDeadLetterQueueBecause: string;
    queueName?: string;
  },
): Queue {
  const queue = new Queue(scope, id, {
    ...(props.queueName ? { queueName: props.queueName } : {}),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: props.noDeadLetterQueueBecause });
  return queue;
}

/** Fires in the minute the metric first reaches 1: a failed execution, a message in a holding queue. */
export function firstOccurrenceAlarm(
  scope: Construct,
  id: string,
  metric: IMetric,
  description: string,
): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** Fires as soon as one message waits in a queue that should stay empty. */
export function queueNotEmptyAlarm(scope: Construct, id: string, queue: IQueue, description: string): Alarm {
  return firstOccurrenceAlarm(
    scope,
    id,
    queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
    description,
  );
}
