import { join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { functionArnPlaceholder, orderSaga } from '../../statemachines/order-saga.js';
import type { SagaWorkflowType } from '../config/stages.js';
import { firstOccurrenceAlarm, holdingQueue, queueNotEmptyAlarm } from '../constructs/holding-queue.js';
import { repositoryRoot } from '../constructs/service-function.js';

export interface SagaStackProps extends StackProps {
  /** The stage's event bus, by its fixed name (no export). */
  busName: string;
  /** Every service's `sagaTasks` names: their functions are found by their fixed names. */
  tasks: readonly string[];
  logRetention: RetentionDays;
  protectData: boolean;
  namePrefix: string;
  workflowType: SagaWorkflowType;
}

/**
 * The order saga from its ASL file, started by a rule on OrderPlaced that targets it directly and
 * by the orders sweeper (by its fixed name). Its logs carry errors only, never execution data:
 * that is every state of every order, the bulk of an Express execution's cost.
 */
export class SagaStack extends Stack {
  public readonly stateMachine: StateMachine;
  public readonly failureAlarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: SagaStackProps) {
    super(scope, id, props);
    const removalPolicy = props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const stateMachineName = orderSaga.stateMachineName(props.namePrefix);
    const taskArns = new Map(
      props.tasks.map((task) => [
        task,
        this.formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: orderSaga.taskFunctionName(props.namePrefix, task),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ]),
    );
    this.stateMachine = new StateMachine(this, 'OrderSaga', {
      stateMachineName,
      stateMachineType: StateMachineType[props.workflowType],
      definitionBody: DefinitionBody.fromFile(join(repositoryRoot, orderSaga.definitionFile)),
      definitionSubstitutions: Object.fromEntries(
        [...taskArns].map(([task, arn]) => [functionArnPlaceholder(task), arn]),
      ),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'SagaLogs', {
          // Step Functions delivers logs as a vended log source, which needs this prefix.
          logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
          retention: props.logRetention,
          removalPolicy,
        }),
        level: LogLevel.ERROR,
        includeExecutionData: false,
      },
    });
    // A failed or timed-out execution leaves its order PENDING for the sweeper: someone should know.
    this.failureAlarms = [
      firstOccurrenceAlarm(
        this,
        'ExecutionsFailedAlarm',
        this.stateMachine.metricFailed({ period: Duration.minutes(1), statistic: 'Sum' }),
        'An order saga execution ended in ClaimFailed or CompensationFailed; the sweeper will settle its order.',
      ),
      firstOccurrenceAlarm(
        this,
        'ExecutionsTimedOutAlarm',
        this.stateMachine.metricTimedOut({ period: Duration.minutes(1), statistic: 'Sum' }),
        'An order saga execution ran past its TimeoutSeconds; the sweeper will settle its order.',
      ),
    ];
    // Exactly the unqualified task ARNs the ASL names (grantInvoke would add every version, <arn>:*).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [...taskArns.values()],
      }),
    );
    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray and CloudWatch Logs delivery actions support no resource-level permissions.',
      },
      {
        id: 'AwsSolutions-SF1',
        reason:
          "Logs at ERROR: every failed task and execution is logged, while ALL would write each state of every order (the bulk of an Express execution's cost) and execution data would copy every order into CloudWatch. X-Ray traces every execution.",
      },
    );

    const startFailures = holdingQueue(this, 'StartFailures', {
      protectData: props.protectData,
      noDeadLetterQueueBecause:
        "This queue is the rule target's dead-letter queue; it needs none of its own.",
    });
    queueNotEmptyAlarm(
      this,
      'StartFailuresAlarm',
      startFailures,
      'OrderPlaced events the rule could not start the saga with after 8 retries: their orders wait for the sweeper; find the cause in the messages.',
    );
    new Rule(this, 'OnOrderPlaced', {
      eventBus: EventBus.fromEventBusName(this, 'Bus', props.busName),
      eventPattern: { source: orderSaga.trigger.source, detailType: orderSaga.trigger['detail-type'] },
      targets: [
        new SfnStateMachine(this.stateMachine, {
          deadLetterQueue: startFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }
}
