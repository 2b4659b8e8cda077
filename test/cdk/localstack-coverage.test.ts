/**
 * Every resource type the stacks synthesize for LocalStack (`-c target=localstack`) is one
 * LocalStack's CloudFormation creates. The lists are LocalStack's own ("Resources" in its
 * CloudFormation user guide, localstack/docs content/en/user-guide/aws/cloudformation/index.md at
 * 047c8ea8), cut to the services this platform uses; a type added to the stacks that is in neither
 * fails here before anyone tries a deploy.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { stageConfig } from '../../lib/config/stages.js';
import { buildServerlessSaas } from '../../lib/serverless-saas-app.js';

/** Created by the community image (`localstack/localstack`). */
const communityImage = new Set([
  'AWS::ApiGateway::Account',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::CDK::Metadata',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::DynamoDB::GlobalTable',
  'AWS::DynamoDB::Table',
  'AWS::Events::EventBus',
  'AWS::Events::EventBusPolicy',
  'AWS::Events::Rule',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Lambda::Version',
  'AWS::Logs::LogGroup',
  'AWS::SNS::Subscription',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::SSM::Parameter',
  'AWS::Scheduler::Schedule',
  'AWS::SecretsManager::Secret',
  'AWS::StepFunctions::StateMachine',
]);

/** Created only by the Pro image (`localstack/localstack-pro`, with an auth token). */
const proImage = new Set([
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Deployment',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Stage',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
]);

function synthesizedTypes(context: Record<string, string>): Set<string> {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'localstack-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const { platform, serviceStacks, saga, apiStage } = buildServerlessSaas(
    app,
    stageConfig((key) => context[key]),
  );
  app.synth();
  return new Set(
    [platform, ...serviceStacks, saga, apiStage].flatMap((stack) =>
      Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>).map(
        (resource) => resource.Type,
      ),
    ),
  );
}

describe('the stacks synthesized for LocalStack', () => {
  // As `npm run deploy:localstack` synthesizes them: the sandbox's issuer as its tokens name it,
  // its keys and users where the containers reach the host.
  const types = synthesizedTypes({
    target: 'localstack',
    authIssuer: 'http://127.0.0.1:3000/_dev/issuer',
    authAudience: 'serverless-saas',
    authJwksUri: 'http://host.docker.internal:3000/_dev/issuer/.well-known/jwks.json',
    userDirectoryUrl: 'http://host.docker.internal:3000/_dev/users',
  });

  it('use only resource types LocalStack creates', () => {
    const unsupported = [...types].filter((type) => !communityImage.has(type) && !proImage.has(type));

    expect(unsupported).toEqual([]);
  });

  it('need the Pro image for the REST token authorizer and the WebSocket API, and nothing else', () => {
    expect([...types].filter((type) => proImage.has(type)).sort()).toEqual([
      'AWS::ApiGateway::Authorizer',
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Authorizer',
      'AWS::ApiGatewayV2::Integration',
      'AWS::ApiGatewayV2::Route',
      'AWS::ApiGatewayV2::Stage',
    ]);
  });

  it('leave out the dashboard, which LocalStack cannot create, and AWS keeps', () => {
    expect(types.has('AWS::CloudWatch::Dashboard')).toBe(false);
    expect(synthesizedTypes({}).has('AWS::CloudWatch::Dashboard')).toBe(true);
  });
});
