import { Lazy, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  Deployment,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  Stage,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';

export interface ApiStageStackProps extends StackProps {
  config: StageConfig;
  restApiId: string;
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
    const api = RestApi.fromRestApiId(this, 'Api', props.restApiId);
    const deployment = new Deployment(this, 'Deployment', { api });
    deployment.addToLogicalId(Lazy.any({ produce: props.apiDefinition }));
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // API Gateway writes execution logs to this group, and would create it without a retention.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${props.restApiId}/${props.config.stage}`,
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
    Validations.of(this.stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A WAF web ACL costs $5 a month plus $1 a rule and $0.60 per 1M requests, and its rate rules count over windows of 60 s or more (10 at least): the stage throttle and the handlers enforce the per-second limits; associate an account-owned ACL per stage for managed rule sets.',
    });
  }
}
