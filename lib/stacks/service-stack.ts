import { Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ServiceDefinition } from '../../functions/shared/service-definition.js';
import type { PaymentsConfig } from '../config/stages.js';
import { Microservice } from '../constructs/microservice.js';
import type { RateLimitBinding } from '../constructs/service-function.js';
import type { PlatformStack } from './platform-stack.js';

export interface ServiceStackProps extends StackProps {
  service: ServiceDefinition;
  platform: PlatformStack;
  logRetention: RetentionDays;
  protectData: boolean;
  namePrefix: string;
  stage: string;
  rateLimits: RateLimitBinding;
  corsOrigins: readonly string[];
  payments: PaymentsConfig;
}

/**
 * One stack per service. It adds its methods to the platform's API, found through SSM parameters
 * (no export, no cycle: the platform never depends on a service); the ApiStageStack deploys them.
 */
export class ServiceStack extends Stack {
  public readonly microservice: Microservice;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const platform = props.platform.referencesIn(this);
    this.microservice = new Microservice(this, 'Service', {
      service: props.service,
      api: platform.api,
      authorizer: platform.authorizer,
      bus: platform.bus,
      logRetention: props.logRetention,
      protectData: props.protectData,
      namePrefix: props.namePrefix,
      stage: props.stage,
      authEnvironment: platform.authEnvironment,
      userDirectory: platform.userDirectory,
      rateLimits: props.rateLimits,
      corsOrigins: props.corsOrigins,
      payments: props.payments,
    });
  }
}
