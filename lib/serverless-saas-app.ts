import { type App, Aspects, CfnResource, type Environment, Stack, Tags, Validations } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { platformService } from '../functions/platform/service.js';
import { services } from '../functions/services.js';
import { assertPaymentsAllowed, type StageConfig } from './config/stages.js';
import { functionHealthAlarms, NotifyAlarmTopic } from './constructs/alarms.js';
import { pascalCase } from './constructs/microservice.js';
import { ApiStageStack } from './stacks/api-stage-stack.js';
import { PlatformStack } from './stacks/platform-stack.js';
import { SagaStack } from './stacks/saga-stack.js';
import { ServiceStack } from './stacks/service-stack.js';

const retention: Record<StageConfig['logRetentionDays'], RetentionDays> = {
  7: RetentionDays.ONE_WEEK,
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
  365: RetentionDays.ONE_YEAR,
};

/** The whole platform for one stage: platform, one stack per service, the saga, the API stage. */
export function buildServerlessSaas(app: App, config: StageConfig, env?: Environment) {
  // Explicit: an exporting stack refuses to drop an export another stack still imports.
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  assertPaymentsAllowed(config);
  const prefix = `ServerlessSaas-${config.stage}`;
  const namePrefix = `serverless-saas-${config.stage}`;
  const logRetention = retention[config.logRetentionDays];
  const common = { ...(env ? { env } : {}), logRetention, protectData: config.protectData };

  const triggerService = services.find((service) => service.userPoolTriggers?.preTokenGeneration);
  const triggerFile = triggerService?.userPoolTriggers?.preTokenGeneration?.handler;
  const platform = new PlatformStack(app, `${prefix}-Platform`, {
    ...(env ? { env } : {}),
    config,
    logRetention,
    namePrefix,
    ...(triggerService && triggerFile
      ? { preTokenGeneration: { serviceName: triggerService.name, handlerFile: triggerFile } }
      : {}),
  });
  const serviceStacks = services
    .filter((service) => service.name !== platformService.name)
    .map(
      (service) =>
        new ServiceStack(app, `${prefix}-${pascalCase(service.name)}`, {
          ...common,
          service,
          platform,
          namePrefix,
          stage: config.stage,
          rateLimits: platform.rateLimits,
          corsOrigins: config.corsOrigins,
          payments: config.payments,
        }),
    );

  const saga = new SagaStack(app, `${prefix}-Saga`, {
    ...common,
    busName: namePrefix,
    tasks: services.flatMap((service) => Object.keys(service.sagaTasks ?? {})),
    namePrefix,
    workflowType: config.sagaWorkflowType,
  });
  // Ordered, not coupled: the platform's names and SSM parameters must exist before anyone reads them.
  for (const stack of [...serviceStacks, saga]) stack.addStackDependency(platform);
  // Deployed after the task functions exist; ordered, not coupled: the saga imports nothing from them.
  for (const stack of serviceStacks) {
    if (stack.microservice.taskFunctions.size > 0) saga.addStackDependency(stack);
  }

  const apiStage = new ApiStageStack(app, `${prefix}-ApiStage`, {
    ...(env ? { env } : {}),
    config,
    namePrefix,
    stackPrefix: prefix,
    apiDefinition: () => apiDefinitionOf([platform, ...serviceStacks]),
    logRetention,
  });
  for (const stack of serviceStacks) apiStage.addStackDependency(stack);
  // No order is accepted before the saga that settles it is deployed.
  apiStage.addStackDependency(saga);

  for (const stack of [platform, ...serviceStacks]) {
    const functions = stack.node.findAll().filter((node) => node instanceof NodejsFunction);
    functionHealthAlarms(stack, functions);
  }
  Aspects.of(app).add(new NotifyAlarmTopic(namePrefix));
  // Cost allocation: activate these tag keys in the Billing console to split the bill per stage.
  Tags.of(app).add('project', 'serverless-saas');
  Tags.of(app).add('stage', config.stage);

  return { platform, serviceStacks, saga, apiStage };
}

/** What a deployment of the REST API serves: a change to any of these must go live. */
const apiDefinitionTypes = new Set([
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
]);

/**
 * The API's resources, methods (access and integration), authorizer and gateway responses as
 * they synthesize, for the deployment's logical id: called while the app synthesizes, when every
 * stack has added its methods and cross-stack references are in place.
 */
function apiDefinitionOf(stacks: readonly Stack[]): unknown[] {
  const elements = stacks.flatMap((stack) =>
    stack.node
      .findAll()
      .filter(
        (construct: IConstruct): construct is CfnResource =>
          construct instanceof CfnResource && apiDefinitionTypes.has(construct.cfnResourceType),
      ),
  );
  // _toCloudFormation is what synthesis itself writes to the template; CDK keeps it internal.
  return elements.map((element) => ({
    path: element.node.path,
    definition: Stack.of(element).resolve(
      (element as unknown as { _toCloudFormation(): object })._toCloudFormation(),
    ),
  }));
}
