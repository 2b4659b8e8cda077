import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  CfnAuthorizer,
  EndpointType,
  type IAuthorizer,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { AccountRecovery, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { authorizerHandlerFile, platformService } from '../../functions/platform/service.js';
import { gatewayProblems } from '../../functions/shared/errors.js';
import type { StageConfig } from '../config/stages.js';
import { Microservice } from '../constructs/microservice.js';
import { ServiceFunction } from '../constructs/service-function.js';

export interface PlatformStackProps extends StackProps {
  config: StageConfig;
  logRetention: RetentionDays;
}

/** What every service shares: the REST API and its token authorizer, the event bus, the user pool. */
export class PlatformStack extends Stack {
  public readonly api: RestApi;
  public readonly authorizer: IAuthorizer;
  public readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config, logRetention } = props;
    const protectData = config.protectData;

    this.bus = new EventBus(this, 'Bus', { eventBusName: `serverless-saas-${config.stage}` });

    const auth = config.auth.kind === 'cognito' ? this.userPoolAuth() : config.auth;
    const authorizerFunction = new ServiceFunction(this, 'AuthorizerFunction', {
      serviceName: 'platform',
      handlerFile: authorizerHandlerFile,
      logRetention,
      protectData,
      environment: {
        AUTH_ISSUER: auth.issuer,
        AUTH_AUDIENCE: auth.audience,
        ...(auth.jwksUri ? { AUTH_JWKS_URI: auth.jwksUri } : {}),
      },
    });

    // Deployed by the ApiStageStack once every service has added its methods.
    this.api = new RestApi(this, 'Api', {
      restApiName: `serverless-saas-${config.stage}`,
      deploy: false,
      cloudWatchRole: true,
      endpointTypes: [EndpointType.REGIONAL],
    });
    this.addProblemResponses();
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

    new Microservice(this, 'Platform', {
      service: platformService,
      api: this.api,
      authorizer: this.authorizer,
      bus: this.bus,
      logRetention,
      protectData,
    });
    Validations.of(this.api.root.resourceForPath('/health')).acknowledge(
      {
        id: 'AwsSolutions-APIG4',
        reason: 'GET /health is public by contract: load balancers and uptime checks call it.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason: 'GET /health is public by contract: it carries no authorizer at all.',
      },
    );
  }

  private userPoolAuth(): { issuer: string; audience: string; jwksUri?: string } {
    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      customAttributes: {},
    });
    Validations.of(userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason: 'MFA is a per-tenant choice; it is offered, not forced, on the pool.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason: 'Threat protection needs the Plus feature plan, a cost decision left to each deployment.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason: 'The Plus feature plan is a cost decision left to each deployment.',
      },
    );
    const client = new UserPoolClient(this, 'ApiClient', { userPool, generateSecret: false });
    return {
      issuer: `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`,
      audience: client.userPoolClientId,
    };
  }

  /** Gateway-generated errors answer in RFC 9457 like the handlers, from the same definitions. */
  private addProblemResponses(): void {
    const responses = [
      [ResponseType.UNAUTHORIZED, gatewayProblems.unauthorized],
      [ResponseType.ACCESS_DENIED, gatewayProblems.accessDenied],
      [ResponseType.THROTTLED, gatewayProblems.throttled],
      [ResponseType.MISSING_AUTHENTICATION_TOKEN, gatewayProblems.notFound],
      [ResponseType.RESOURCE_NOT_FOUND, gatewayProblems.notFound],
    ] as const;
    for (const [type, problem] of responses) {
      const headers: Record<string, string> = { 'Content-Type': "'application/problem+json'" };
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
  }
}
