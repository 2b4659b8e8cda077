import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  CfnAuthorizer,
  EndpointType,
  type IAuthorizer,
  type IRestApi,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { type IUserPool, UserPool } from 'aws-cdk-lib/aws-cognito';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { authorizerHandlerFile, platformService } from '../../functions/platform/service.js';
import { corsExposedHeaders } from '../../functions/shared/cors.js';
import { gatewayProblems } from '../../functions/shared/errors.js';
import { rateLimitTable } from '../../functions/shared/rate-limits.js';
import type { StageConfig } from '../config/stages.js';
import { alarmTopic } from '../constructs/alarms.js';
import { CognitoUserDirectory, cognitoIssuer } from '../constructs/cognito-user-directory.js';
import { Microservice } from '../constructs/microservice.js';
import {
  type PlatformParameterKey,
  platformParameter,
  publishPlatformParameter,
} from '../constructs/platform-parameters.js';
import {
  type RateLimitBinding,
  ServiceFunction,
  type UserDirectoryBinding,
} from '../constructs/service-function.js';
import { rateLimitTableName, ServiceTable, serviceTableName } from '../constructs/service-table.js';

export interface PlatformStackProps extends StackProps {
  config: StageConfig;
  logRetention: RetentionDays;
  /** Prefix of physical names (bus, API, tables): `serverless-saas-<stage>`. */
  namePrefix: string;
  /** The service whose trigger adds `tenant_id` to Cognito's tokens; required with Cognito auth. */
  preTokenGeneration?: { serviceName: string; handlerFile: string };
}

/** What a service stack uses of the platform, built in its own scope from fixed names and SSM parameters. */
export interface PlatformReferences {
  api: IRestApi;
  authorizer: IAuthorizer;
  bus: IEventBus;
  /** Read only where used: each read adds the stack's template parameters. */
  authEnvironment: () => Record<string, string>;
  userDirectory: () => UserDirectoryBinding;
}

/** What every service shares: the REST API and its token authorizer, the event bus, the user pool. */
export class PlatformStack extends Stack {
  public readonly api: RestApi;
  public readonly authorizer: IAuthorizer;
  public readonly bus: EventBus;
  /** Where the identity service creates users. */
  public readonly userDirectory: UserDirectoryBinding;
  /** How every token verifier (the REST authorizer, a WebSocket `$connect` authorizer) is configured. */
  public readonly authEnvironment: Record<string, string>;
  /** The buckets every route function counts its requests in. */
  public readonly rateLimits: RateLimitBinding;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config, logRetention } = props;
    const protectData = config.protectData;

    this.bus = new EventBus(this, 'Bus', { eventBusName: props.namePrefix });
    const alarms = alarmTopic(this, props.namePrefix);
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topicArn,
      description: 'Every alarm of the stage notifies this topic: subscribe to it',
    });

    // Buckets refill in seconds: nothing in them is worth keeping. Functions find it by its fixed
    // name, so no service stack imports it.
    new ServiceTable(this, 'RateLimits', {
      definition: rateLimitTable,
      tableName: rateLimitTableName(props.namePrefix),
      protectData: false,
    });
    this.rateLimits = { tableName: rateLimitTableName(props.namePrefix), limits: config.rateLimits };

    this.stageName = config.stage;
    this.busName = props.namePrefix;
    this.auth = config.auth;
    const { verifier: auth, userDirectory } = this.authentication(props);
    this.userDirectory = userDirectory;
    this.authEnvironment = {
      AUTH_ISSUER: auth.issuer,
      AUTH_AUDIENCE: auth.audience,
      AUTH_PROFILE: auth.profile,
      ...(auth.jwksUri ? { AUTH_JWKS_URI: auth.jwksUri } : {}),
    };
    const authorizerFunction = new ServiceFunction(this, 'AuthorizerFunction', {
      serviceName: 'platform',
      handlerFile: authorizerHandlerFile,
      logRetention,
      protectData,
      environment: this.authEnvironment,
    });

    // Deployed by the ApiStageStack once every service has added its methods.
    this.api = new RestApi(this, 'Api', {
      restApiName: props.namePrefix,
      deploy: false,
      cloudWatchRole: true,
      endpointTypes: [EndpointType.REGIONAL],
    });
    this.addProblemResponses(config.corsOrigins);
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level logging role; AWS publishes this managed policy for exactly that role.",
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Every handler validates body, query and path with zod and answers RFC 9457 errors; gateway validation would answer differently.',
    });

    const tokenAuthorizer = new CfnAuthorizer(this, 'TokenAuthorizer', {
      restApiId: this.api.restApiId,
      name: 'token-authorizer',
      type: 'TOKEN',
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 300,
      authorizerUri: `arn:${this.partition}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${authorizerFunction.function.functionArn}/invocations`,
    });
    authorizerFunction.function.addPermission('InvokedByApiGateway', {
      principal: new ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: this.formatArn({
        service: 'execute-api',
        resource: this.api.restApiId,
        resourceName: `authorizers/${tokenAuthorizer.ref}`,
      }),
    });
    this.authorizer = { authorizerId: tokenAuthorizer.ref, authorizationType: AuthorizationType.CUSTOM };
    publishPlatformParameter(this, config.stage, 'rest-api-id', this.api.restApiId);
    publishPlatformParameter(this, config.stage, 'rest-api-root-resource-id', this.api.restApiRootResourceId);
    publishPlatformParameter(this, config.stage, 'token-authorizer-id', tokenAuthorizer.ref);

    new Microservice(this, 'Platform', {
      namePrefix: props.namePrefix,
      stage: config.stage,
      authEnvironment: () => this.authEnvironment,
      service: platformService,
      api: this.api,
      authorizer: this.authorizer,
      bus: this.bus,
      logRetention,
      protectData,
      rateLimits: this.rateLimits,
      corsOrigins: config.corsOrigins,
    });
  }

  private readonly stageName: string;
  private readonly busName: string;
  private readonly auth: StageConfig['auth'];

  /**
   * The platform as another stack sees it: the API, authorizer and user pool by their SSM
   * parameters, the bus by its fixed name. Nothing here becomes a CloudFormation export.
   */
  referencesIn(stack: Stack): PlatformReferences {
    const parameter = (key: PlatformParameterKey) => platformParameter(stack, this.stageName, key);
    const api = RestApi.fromRestApiAttributes(stack, 'PlatformApi', {
      restApiId: parameter('rest-api-id'),
      rootResourceId: parameter('rest-api-root-resource-id'),
    });
    const authorizer = {
      authorizerId: parameter('token-authorizer-id'),
      authorizationType: AuthorizationType.CUSTOM,
    };
    const bus = EventBus.fromEventBusName(stack, 'PlatformBus', this.busName);
    if (this.auth.kind === 'oidc') {
      return {
        api,
        authorizer,
        bus,
        authEnvironment: () => this.authEnvironment,
        userDirectory: () => this.userDirectory,
      };
    }
    return {
      api,
      authorizer,
      bus,
      authEnvironment: () => ({
        AUTH_ISSUER: cognitoIssuer(stack, parameter('user-pool-id')),
        AUTH_AUDIENCE: parameter('user-pool-client-id'),
        AUTH_PROFILE: 'cognito',
      }),
      userDirectory: () => ({
        userPool:
          (stack.node.tryFindChild('PlatformUserPool') as IUserPool | undefined) ??
          UserPool.fromUserPoolId(stack, 'PlatformUserPool', parameter('user-pool-id')),
      }),
    };
  }

  /** The stack's own Cognito user pool, or the configured OIDC issuer; both print what a client needs. */
  private authentication(props: PlatformStackProps): {
    verifier: { issuer: string; audience: string; profile: string; jwksUri?: string };
    userDirectory: UserDirectoryBinding;
  } {
    const { auth } = props.config;
    if (auth.kind === 'oidc') {
      new CfnOutput(this, 'AuthIssuer', { value: auth.issuer, description: 'The trusted OIDC issuer' });
      return {
        verifier: auth,
        userDirectory: auth.userDirectoryUrl ? { localEndpoint: auth.userDirectoryUrl } : undefined,
      };
    }
    if (!props.preTokenGeneration) {
      throw new Error('Cognito auth needs a service that declares userPoolTriggers.preTokenGeneration');
    }
    const directory = new CognitoUserDirectory(this, 'UserDirectory', {
      logRetention: props.logRetention,
      protectData: props.config.protectData,
      preTokenGeneration: {
        ...props.preTokenGeneration,
        tableName: serviceTableName(props.namePrefix, props.preTokenGeneration.serviceName),
      },
    });
    publishPlatformParameter(this, props.config.stage, 'user-pool-id', directory.userPool.userPoolId);
    publishPlatformParameter(
      this,
      props.config.stage,
      'user-pool-client-id',
      directory.client.userPoolClientId,
    );
    new CfnOutput(this, 'UserPoolId', {
      value: directory.userPool.userPoolId,
      description: 'Cognito user pool',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: directory.client.userPoolClientId,
      description: 'App client for sign-in (SRP, no secret)',
    });
    new CfnOutput(this, 'AuthIssuer', { value: directory.issuer, description: 'Issuer of access tokens' });
    return {
      verifier: { issuer: directory.issuer, audience: directory.client.userPoolClientId, profile: 'cognito' },
      userDirectory: { userPool: directory.userPool },
    };
  }

  /**
   * Gateway-generated errors answer in RFC 9457 like the handlers, from the same definitions, and
   * carry the CORS headers a browser needs to read them. A gateway response cannot compare the
   * Origin with a list: with one allowed origin it names that one, with several it echoes the
   * request's (these answers carry no data, and no answer allows credentials).
   */
  private addProblemResponses(corsOrigins: readonly string[]): void {
    const [onlyOrigin, ...otherOrigins] = corsOrigins;
    const cors: Record<string, string> =
      onlyOrigin === undefined
        ? {}
        : {
            'Access-Control-Allow-Origin':
              otherOrigins.length === 0 ? `'${onlyOrigin}'` : 'method.request.header.Origin',
            'Access-Control-Expose-Headers': `'${corsExposedHeaders.join(', ')}'`,
            Vary: "'Origin'",
          };
    const responses = [
      [ResponseType.UNAUTHORIZED, gatewayProblems.unauthorized],
      [ResponseType.ACCESS_DENIED, gatewayProblems.accessDenied],
      [ResponseType.THROTTLED, gatewayProblems.throttled],
      [ResponseType.MISSING_AUTHENTICATION_TOKEN, gatewayProblems.notFound],
      [ResponseType.RESOURCE_NOT_FOUND, gatewayProblems.notFound],
    ] as const;
    for (const [type, problem] of responses) {
      const headers: Record<string, string> = { 'Content-Type': "'application/problem+json'", ...cors };
      for (const [name, value] of Object.entries(problem.headers)) headers[name] = `'${value}'`;
      this.api.addGatewayResponse(`${type.responseType}Response`, {
        type,
        statusCode: String(problem.status),
        responseHeaders: headers,
        templates: {
          'application/json': JSON.stringify({
            type: problem.type,
            title: problem.title,
            status: problem.status,
            detail: problem.detail,
            requestId: '$context.requestId',
          }),
        },
      });
    }
    // API Gateway's own other answers (a body over its limit, an integration that timed out).
    if (onlyOrigin !== undefined) {
      for (const type of [ResponseType.DEFAULT_4XX, ResponseType.DEFAULT_5XX]) {
        this.api.addGatewayResponse(`${type.responseType}Response`, { type, responseHeaders: cors });
      }
    }
  }
}
