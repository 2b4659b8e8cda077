/**
 * How service stacks find what the platform stack owns without CloudFormation exports: the
 * platform writes each identifier to an SSM parameter with a fixed name, and every other stack
 * reads it as an `AWS::SSM::Parameter::Value<String>` template parameter, resolved on each deploy.
 * An export would lock its value ("Export ... cannot be updated as it is in use"): renaming the
 * API, replacing the authorizer or the user pool would then need every importing stack removed.
 */
import { Stack } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

export const platformParameterKeys = [
  'rest-api-id',
  'rest-api-root-resource-id',
  'token-authorizer-id',
  'user-pool-id',
  'user-pool-client-id',
] as const;
export type PlatformParameterKey = (typeof platformParameterKeys)[number];

export const platformParameterName = (stage: string, key: PlatformParameterKey): string =>
  `/serverless-saas/${stage}/platform/${key}`;

/** Written by the platform stack. */
export function publishPlatformParameter(
  scope: Construct,
  stage: string,
  key: PlatformParameterKey,
  value: string,
): void {
  new StringParameter(scope, `Parameter-${key}`, {
    parameterName: platformParameterName(stage, key),
    stringValue: value,
    description: 'Read by the other stacks of the stage instead of a CloudFormation export',
  });
}

/** Read by any other stack: one template parameter per stack and key. */
export function platformParameter(scope: Construct, stage: string, key: PlatformParameterKey): string {
  return StringParameter.valueForStringParameter(Stack.of(scope), platformParameterName(stage, key));
}
