import { type CfnElement, CfnOutput, Stack, Token, Validations } from 'aws-cdk-lib';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { TableAction, WebSocketDefinition } from '../../functions/shared/service-definition.js';
import type { ServiceFunction } from './service-function.js';

export interface ServiceWebSocketProps {
  definition: WebSocketDefinition;
  stageName: string;
  /** Builds a house function for a handler file (the service's defaults, bound to its table). */
  serviceFunction: (
    id: string,
    declared: { handler: string; tableActions?: readonly TableAction[] },
  ) => ServiceFunction;
  /** The token verifier's configuration, the same as the REST authorizer's. */
  authEnvironment: Record<string, string>;
}

/**
 * A service's WebSocket API: `$connect` behind a REQUEST authorizer that reads `?token=` and
 * verifies it as the REST authorizer does, `$disconnect`, and one auto-deployed stage. Functions
 * that push get the management endpoint and `execute-api:ManageConnections` on this API only.
 */
export class ServiceWebSocket extends Construct {
  public readonly api: WebSocketApi;
  public readonly stage: WebSocketStage;

  constructor(scope: Construct, id: string, props: ServiceWebSocketProps) {
    super(scope, id);
    const authorizer = props.serviceFunction('WebSocketAuthorizer', props.definition.authorizer);
    for (const [name, value] of Object.entries(props.authEnvironment))
      authorizer.function.addEnvironment(name, value);
    const connect = props.serviceFunction('WebSocketConnect', props.definition.connect);
    const disconnect = props.serviceFunction('WebSocketDisconnect', props.definition.disconnect);

    this.api = new WebSocketApi(this, 'Api', {
      connectRouteOptions: {
        integration: new WebSocketLambdaIntegration('Connect', connect.function),
        authorizer: new WebSocketLambdaAuthorizer('TokenAuthorizer', authorizer.function, {
          identitySource: ['route.request.querystring.token'],
        }),
      },
      disconnectRouteOptions: {
        integration: new WebSocketLambdaIntegration('Disconnect', disconnect.function),
      },
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stageName,
      autoDeploy: true,
    });
    Validations.of(this.stage).acknowledge({
      id: 'AwsSolutions-APIG1',
      reason: 'Connection and push outcomes are logged by the $connect, $disconnect and pusher functions.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        '$disconnect cannot carry an authorizer; it runs only for a connection that $connect authorized, with that context.',
    });
    new CfnOutput(Stack.of(this), 'WebSocketUrl', {
      value: this.stage.url,
      description: 'Append ?token=<access token>',
    });
  }

  /**
   * Lets a function push to this API's connections and end them (PostToConnection,
   * DeleteConnection): the endpoint variable and the grant together.
   */
  bindPusher(pusher: ServiceFunction, variable: string): void {
    pusher.function.addEnvironment(variable, this.stage.callbackUrl);
    const methods = ['POST', 'DELETE'];
    pusher.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['execute-api:ManageConnections'],
        resources: methods.map((method) =>
          Stack.of(this).formatArn({
            service: 'execute-api',
            resource: this.api.apiId,
            resourceName: `${this.stage.stageName}/${method}/@connections/*`,
          }),
        ),
      }),
    );
    const stack = Stack.of(this);
    // cdk-nag names the resource as it renders it: pseudo parameters and the API's logical id in <>.
    const rendered = (value: string, pseudo: string) =>
      Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
    const apiLogicalId = stack.getLogicalId(this.api.node.defaultChild as CfnElement);
    Validations.of(pusher.role).acknowledge(
      ...methods.map((method) => ({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${rendered(stack.region, 'Region')}:${rendered(stack.account, 'AccountId')}:<${apiLogicalId}>/${this.stage.stageName}/${method}/@connections/*]`,
        reason: `Connection ids exist only at run time: the grant is ${method} to this API's own stage's connections, nothing else.`,
      })),
    );
  }
}
