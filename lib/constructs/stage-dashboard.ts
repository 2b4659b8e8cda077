import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { orderSaga } from '../../statemachines/order-saga.js';
import { metricsNamespace } from './service-function.js';

export interface StageDashboardProps {
  /** The stage's physical-name prefix: the dashboard, the API and the saga are named after it. */
  dashboardName: string;
  /** Stack names start with it, and so do the names CloudFormation gives functions and queues. */
  stackPrefix: string;
  apiMetric: (metricName: string, statistic: string) => Metric;
}

/**
 * One dashboard per stage: the API, the orders and how the saga settled them, queues, streams and
 * functions. Functions and queues are found by SEARCH on their stack-prefixed names, so the
 * dashboard imports nothing from the stacks that own them (no CloudFormation export to block an
 * update) and a new service's resources appear on it without a change here.
 */
export class StageDashboard extends Construct {
  constructor(scope: Construct, id: string, props: StageDashboardProps) {
    super(scope, id);
    const { apiMetric, stackPrefix, dashboardName } = props;
    const period = Duration.minutes(5);
    const search = (namespaceAndDimensions: string, metricName: string, statistic: string, terms: string) =>
      new MathExpression({
        expression: `SEARCH('{${namespaceAndDimensions}} MetricName="${metricName}" ${terms}', '${statistic}', ${period.toSeconds()})`,
        usingMetrics: {},
        label: '',
        period,
      });
    const business = (metricName: string) =>
      new Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: { service: 'orders' },
        statistic: 'Sum',
        period,
        label: metricName,
      });
    const stateMachineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: orderSaga.stateMachineName(dashboardName),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const saga = (metricName: string) =>
      new Metric({
        namespace: 'AWS/States',
        metricName,
        dimensionsMap: { StateMachineArn: stateMachineArn },
        statistic: 'Sum',
        period,
        label: metricName.replace('Executions', ''),
      });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 8, height: 6 });

    new Dashboard(this, 'Dashboard', {
      dashboardName,
      widgets: [
        [
          new TextWidget({
            markdown: `# ${dashboardName}\nAlarms notify the SNS topic \`${dashboardName}-alarms\`.`,
            width: 24,
            height: 1,
          }),
        ],
        [
          graph(
            'API requests and errors',
            [apiMetric('Count', 'Sum')],
            [apiMetric('4XXError', 'Sum'), apiMetric('5XXError', 'Sum')],
          ),
          graph('API latency (ms)', [apiMetric('Latency', 'p50'), apiMetric('Latency', 'p99')]),
          graph('Orders', [business('OrdersPlaced'), business('OrdersConfirmed'), business('OrdersSwept')]),
        ],
        [
          graph('Orders cancelled by reason', [
            search(`${metricsNamespace},reason,service`, 'OrdersCancelled', 'Sum', ''),
          ]),
          graph('Saga executions by outcome', [
            saga('ExecutionsSucceeded'),
            saga('ExecutionsFailed'),
            saga('ExecutionsTimedOut'),
            saga('ExecutionsAborted'),
          ]),
          graph('Queue depths (dead-letter, undelivered, subscriptions)', [
            search('AWS/SQS,QueueName', 'ApproximateNumberOfMessagesVisible', 'Maximum', stackPrefix),
            search('AWS/SQS,QueueName', 'ApproximateNumberOfMessagesVisible', 'Maximum', dashboardName),
          ]),
        ],
        [
          graph('Outbox stream iterator age (ms)', [
            search('AWS/Lambda,FunctionName', 'IteratorAge', 'Maximum', stackPrefix),
          ]),
          graph('Lambda errors', [search('AWS/Lambda,FunctionName', 'Errors', 'Sum', stackPrefix)]),
          graph('Lambda throttles', [search('AWS/Lambda,FunctionName', 'Throttles', 'Sum', stackPrefix)]),
        ],
      ],
    });
  }
}
