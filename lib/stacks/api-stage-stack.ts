import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
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
  /** Every route as `METHOD path`: a change redeploys the API. */
  routes: readonly string[];
  logRetention: RetentionDays;
}

/** Deploys the API after every service stack has added its methods; throttled, logged and traced. */
export class ApiStageStack extends Stack {
  public readonly stage: Stage;

  constructor(scope: Construct, id: string, props: ApiStageStackProps) {
    super(scope, id, props);
    const api = RestApi.fromRestApiId(this, 'Api', props.restApiId);
    const deployment = new Deployment(this, 'Deployment', { api });
    deployment.addToLogicalId([...props.routes].sort());
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new Stage(this, 'Stage', {
      deployment,
      stageName: props.config.stage,
      tracingEnabled: true,
      metricsEnabled: true,
      loggingLevel: MethodLoggingLevel.ERROR,
      throttlingRateLimit: props.config.throttling.rateLimit,
      throttlingBurstLimit: props.config.throttling.burstLimit,
      accessLogDestination: new LogGroupLogDestination(accessLogs),
      accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
    });
    Validations.of(this.stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A WAF web ACL is priced per deployment and owned by the account; associate it per stage, stage throttling applies meanwhile.',
    });
  }
}
