import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { identityService } from '../../functions/identity/service.js';
import { services } from '../../functions/services.js';
import {
  type FunctionSettings,
  type RouteDefinition,
  userDirectoryVariables,
} from '../../functions/shared/service-definition.js';
import { stageConfig, stages } from '../../lib/config/stages.js';
import { userDirectoryActions } from '../../lib/constructs/service-function.js';
import { buildServerlessSaas } from '../../lib/serverless-saas-app.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** Synthesized without bundles: these checks read configuration and policies, not code. */
function synthesize(config = stages.dev) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-identity-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const built = buildServerlessSaas(app, config, { account: '123456789012', region: 'eu-west-1' });
  app.synth();
  const stackNamed = (suffix: string) => {
    const stack = [built.platform, ...built.serviceStacks].find((s) => s.stackName.endsWith(`-${suffix}`));
    if (!stack) throw new Error(`no stack ${suffix}`);
    return Template.fromStack(stack);
  };
  return { platform: Template.fromStack(built.platform), stackNamed, built };
}

function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

/** Every statement of every inline policy attached to the role of the function with this logical-id prefix. */
function statementsOf(template: Template, functionIdPrefix: string): Statement[] {
  const policies = resources(template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith(functionIdPrefix));
  return policies.flatMap(
    ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

let dev: ReturnType<typeof synthesize>;

beforeAll(() => {
  dev = synthesize();
});

describe('the Cognito user directory', () => {
  it('signs users in by email on the Essentials plan with optional TOTP MFA and a strong password policy', () => {
    dev.platform.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      UserPoolTier: 'ESSENTIALS',
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it('holds the tenant in an immutable custom attribute', () => {
    dev.platform.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'tenant_id', Mutable: false, AttributeDataType: 'String' }),
      ]),
    });
  });

  it('runs the identity service pre-token-generation trigger with the V2 event', () => {
    const [[triggerId]] = resources(dev.platform, 'AWS::Lambda::Function').filter(([id]) =>
      id.startsWith('UserDirectoryPreTokenGeneration'),
    ) as [[string, Resource]];

    dev.platform.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [triggerId, 'Arn'] }, LambdaVersion: 'V2_0' },
      },
    });
    dev.platform.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [triggerId, 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
    });
  });

  it('lets the trigger only mark sign-ins in the identity table, by its name', () => {
    const statements = statementsOf(dev.platform, 'UserDirectoryPreTokenGeneration');
    const dynamoDb = statements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('dynamodb:')),
    );

    expect(dynamoDb).toHaveLength(1);
    expect(actionsOf(dynamoDb[0] as Statement)).toEqual(['dynamodb:UpdateItem']);
    expect(JSON.stringify(dynamoDb[0]?.Resource)).toContain(':table/serverless-saas-dev-identity"');
    dev.stackNamed('Identity').hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'serverless-saas-dev-identity',
    });
  });

  it('has one group per role', () => {
    const groups = resources(dev.platform, 'AWS::Cognito::UserPoolGroup').map(
      ([, group]) => group.Properties.GroupName,
    );

    expect(groups.sort()).toEqual(['admin', 'member']);
  });

  it('has one public client: SRP, admin sign-in (IAM only) and refresh, no secret, no OAuth flows or callback URLs', () => {
    const clients = resources(dev.platform, 'AWS::Cognito::UserPoolClient');

    expect(clients).toHaveLength(1);
    const [[, client]] = clients as [[string, Resource]];
    expect(client.Properties.GenerateSecret).toBe(false);
    // SRP for apps; the admin flow needs IAM credentials (npm run first-tenant).
    expect(client.Properties.ExplicitAuthFlows).toEqual([
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client.Properties.CallbackURLs).toBeUndefined();
    expect(client.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
  });

  it('lets the client read the tenant but never write it', () => {
    const [[, client]] = resources(dev.platform, 'AWS::Cognito::UserPoolClient') as [[string, Resource]];

    expect(client.Properties.ReadAttributes).toContain('custom:tenant_id');
    expect(client.Properties.WriteAttributes).toEqual(['email']);
  });

  it('deletes the pool with a dev stack', () => {
    dev.platform.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });

  it('prints the user pool id, client id and issuer', () => {
    const outputs = dev.platform.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['UserPoolId', 'UserPoolClientId', 'AuthIssuer']),
    );
    expect(JSON.stringify(outputs.AuthIssuer?.Value)).toContain(
      'https://cognito-idp.eu-west-1.amazonaws.com/',
    );
  });

  it('verifies tokens with the cognito profile against the pool and its client', () => {
    dev.platform.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AUTH_PROFILE: 'cognito',
          AUTH_AUDIENCE: { Ref: Match.stringLikeRegexp('^UserDirectoryApiClient') },
        }),
      },
    });
  });
});

describe('least privilege for the user directory', () => {
  /** Routes and schedules alike: every declared function that uses the directory. */
  const directoryRoutes = Object.entries({
    ...(identityService.routes as Record<string, RouteDefinition>),
    ...(identityService.schedules as Record<string, FunctionSettings>),
  })
    .filter(([, declared]) => declared.uses?.includes('userDirectory'))
    .map(([name]) => name);

  it('grants exactly the directory actions on this pool to the routes that declare it', () => {
    const identity = dev.stackNamed('Identity');
    for (const routeName of directoryRoutes) {
      const prefix = `Service${routeName[0]?.toUpperCase()}${routeName.slice(1)}Function`;
      const cognito = statementsOf(identity, prefix).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('cognito-idp:')),
      );

      expect(cognito).toHaveLength(1);
      expect(actionsOf(cognito[0] as Statement).sort()).toEqual([...userDirectoryActions].sort());
      expect(JSON.stringify(cognito[0]?.Resource)).toMatch(
        /cognito-idp:eu-west-1:123456789012:userpool\/.*SsmParameterValueserverlesssaasdevplatformuserpoolid/,
      );
      identity.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ [userDirectoryVariables.userPoolId]: Match.anyValue() }),
        },
      });
    }
  });

  it('grants no Cognito action to any other function of any stack', () => {
    const allowed = directoryRoutes.map((name) => `Service${name[0]?.toUpperCase()}${name.slice(1)}Function`);
    const stackNames = services
      .filter((s) => s.name !== 'platform')
      .map((s) => s.name[0]?.toUpperCase() + s.name.slice(1));
    const templates = [
      ['Platform', dev.platform] as const,
      ...stackNames.map((name) => [name, dev.stackNamed(name)] as const),
    ];
    const granted = templates.flatMap(([stackName, template]) =>
      resources(template, 'AWS::IAM::Policy')
        .filter(([, policy]) => JSON.stringify(policy.Properties.PolicyDocument).includes('cognito-idp:'))
        .map(([id]) => `${stackName}/${id}`),
    );

    expect(granted.sort()).toEqual(
      allowed.map((prefix) => expect.stringMatching(new RegExp(`^Identity/${prefix}`))),
    );
  });
});

describe('an external OIDC issuer', () => {
  it('builds no user pool, verifies with the configured profile, and points the directory at the given endpoint', () => {
    const context: Record<string, string> = {
      authIssuer: 'https://sso.example.com/realms/shop',
      authAudience: 'shop-api',
      authProfile: 'keycloak',
      userDirectoryUrl: 'https://directory.example.com/users',
    };
    const external = synthesize(stageConfig((key) => context[key]));

    external.platform.resourceCountIs('AWS::Cognito::UserPool', 0);
    external.platform.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AUTH_ISSUER: 'https://sso.example.com/realms/shop',
          AUTH_AUDIENCE: 'shop-api',
          AUTH_PROFILE: 'keycloak',
        }),
      },
    });
    external.stackNamed('Identity').hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [userDirectoryVariables.localEndpoint]: 'https://directory.example.com/users',
        }),
      },
    });
  });

  it('refuses an unknown profile or an issuer without an audience', () => {
    expect(() =>
      stageConfig((key) => ({ authIssuer: 'https://a', authAudience: 'b', authProfile: 'x' })[key]),
    ).toThrow(/Unknown auth profile "x"/);
    expect(() => stageConfig((key) => ({ authIssuer: 'https://a' })[key])).toThrow(/authAudience/);
  });
});
