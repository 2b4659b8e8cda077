import { Stack, type StackProps } from 'aws-cdk-lib';
import { type IAuthorizer, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ServiceDefinition } from '../../functions/shared/service-definition.js';
import { Microservice } from '../constructs/microservice.js';
import type { RateLimitBinding, UserDirectoryBinding } from '../constructs/service-function.js';

export interface ServiceStackProps extends StackProps {
  service: ServiceDefinition;
  restApiId: string;
  rootResourceId: string;
  authorizer: IAuthorizer;
  bus: IEventBus;
  logRetention: RetentionDays;
  protectData: boolean;
  namePrefix: string;
  stage: string;
  authEnvironment: Record<string, string>;
  userDirectory: UserDirectoryBinding;
  rateLimits: RateLimitBinding;
}

/**
 * One stack per service. It adds its methods to the platform's API through an imported reference,
 * so the platform never depends on a service (no cycle); the ApiStageStack deploys them.
 */
export class ServiceStack extends Stack {
  public readonly microservice: Microservice;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const api = RestApi.fromRestApiAttributes(this, 'Api', {
      restApiId: props.restApiId,
      rootResourceId: props.rootResourceId,
    });
    this.microservice = new Microservice(this, 'Service', {
      service: props.service,
      api,
      authorizer: props.authorizer,
      bus: props.bus,
      logRetention: props.logRetention,
      protectData: props.protectData,
      namePrefix: props.namePrefix,
      stage: props.stage,
      authEnvironment: props.authEnvironment,
      userDirectory: props.userDirectory,
      rateLimits: props.rateLimits,
    });
  }
}
