import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  Deployment,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  Stage,
} from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { platformParameter } from '../constructs/platform-parameters.js';
import { StageDashboard } from '../constructs/stage-dashboard.js';

export interface ApiStageStackProps extends StackProps {
  config: StageConfig;
  /** The REST API's name (`ApiName` in its CloudWatch metrics) and the prefix of the stage's stack names. */
  namePrefix: string;
  stackPrefix: string;
  /**
   * What the API serves (resources, methods, authorizer, gateway responses), read at synthesis:
   * any change to it makes a new deployment, so a route closed in code is closed when deployed.
   */
  apiDefinition: () => unknown;
  logRetention: RetentionDays;
}

/** Deploys the API after every service stack has added its methods; throttled, logged and traced. */
export class ApiStageStack extends Stack {
  public readonly stage: Stage;

  constructor(scope: Construct, id: string, props: ApiStageStackProps) {
    super(scope, id, props);
    const restApiId = platformParameter(this, props.config.stage, 'rest-api-id');
    const api = RestApi.fromRestApiId(this, 'Api', restApiId);
    const deployment = new Deployment(this, 'Deployment', { api });
    deployment.addToLogicalId(Lazy.any({ produce: props.apiDefinition }));
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // API Gateway writes execution logs to this group, and would create it without a retention.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${restApiId}/${props.config.stage}`,
      retention: props.logRetention,
      removalPolicy: props.config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const stageLimit = props.config.rateLimits.stage;
    this.stage = new Stage(this, 'Stage', {
      deployment,
      stageName: props.config.stage,
      tracingEnabled: true,
      metricsEnabled: true,
      loggingLevel: MethodLoggingLevel.ERROR,
      throttlingRateLimit: stageLimit.requests / stageLimit.perSeconds,
      throttlingBurstLimit: stageLimit.burst,
      accessLogDestination: new LogGroupLogDestination(accessLogs),
      accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
    });
    this.stage.node.addDependency(executionLogs);
    new CfnOutput(this, 'ApiUrl', {
      value: this.stage.urlForPath('/'),
      description: 'The REST API of the stage',
    });
    const apiMetric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: props.namePrefix, Stage: props.config.stage },
        statistic,
        period: Duration.minutes(5),
      });
    new Alarm(this, 'ServerErrorRateAlarm', {
      alarmDescription:
        'Over 1% of API requests answered 5xx in two 5-minute periods running (with at least 20 requests a period).',
      metric: new MathExpression({
        expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
        usingMetrics: { requests: apiMetric('Count', 'Sum'), errors: apiMetric('5XXError', 'Sum') },
        label: '5xx %',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    new Alarm(this, 'LatencyP99Alarm', {
      alarmDescription: 'p99 API latency above 2 s in three 5-minute periods running.',
      metric: apiMetric('Latency', 'p99'),
      threshold: 2000,
      evaluationPeriods: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // LocalStack's CloudFormation has no AWS::CloudWatch::Dashboard.
    if (props.config.target === 'aws') {
      new StageDashboard(this, 'Dashboard', {
        dashboardName: props.namePrefix,
        stackPrefix: props.stackPrefix,
        apiMetric,
      });
    }
    Validations.of(this.stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A WAF web ACL costs $5 a month plus $1 a rule and $0.60 per 1M requests, and its rate rules count over windows of 60 s or more (10 at least): the stage throttle and the handlers enforce the per-second limits; associate an account-owned ACL per stage for managed rule sets.',
    });
  }
}
