import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolEmail,
  UserPoolGroup,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { roles, tableNameVariable } from '../../functions/shared/service-definition.js';
import { ServiceFunction } from './service-function.js';

export interface CognitoUserDirectoryProps {
  logRetention: RetentionDays;
  /** Keep the pool (and refuse its deletion) when the stack goes: true in prod. */
  protectData: boolean;
  /** The service's pre-token-generation trigger and the table it marks sign-ins in. */
  preTokenGeneration: { serviceName: string; handlerFile: string; tableName: string };
}

/** The `iss` of a user pool's tokens. */
export const cognitoIssuer = (stack: Stack, userPoolId: string): string =>
  `https://cognito-idp.${stack.region}.amazonaws.com/${userPoolId}`;

/**
 * The platform's users: a Cognito user pool (email sign-in, Essentials plan for the V2
 * pre-token-generation trigger, optional TOTP MFA), the immutable `custom:tenant_id` that only
 * AdminCreateUser sets, one group per role, and one public app client (SRP, refresh tokens, no
 * secret, no OAuth flows).
 */
export class CognitoUserDirectory extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  public readonly issuer: string;

  constructor(scope: Construct, id: string, props: CognitoUserDirectoryProps) {
    super(scope, id);
    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      customAttributes: { tenant_id: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      // Cognito's own sender allows a few dozen emails a day; production sends through SES
      // (UserPoolEmail.withSES), as docs/architecture.md explains.
      email: UserPoolEmail.withCognito(),
      userInvitation: {
        emailSubject: 'Your serverless-saas account',
        emailBody:
          'You have been invited to serverless-saas. Sign in as {username} with the temporary password {####} within 7 days.',
      },
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional (TOTP) so each user can turn it on; requiring it for every user is a per-deployment policy choice.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason:
          'Threat protection (advanced security) needs the Plus feature plan; this pool uses Essentials.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The pool uses the Essentials plan, which the V2 pre-token-generation trigger needs; Plus is a cost choice.',
      },
    );
    this.userPool = userPool;

    for (const role of roles) {
      new UserPoolGroup(this, `${role}Group`, { userPool, groupName: role, description: `Role ${role}` });
    }

    this.client = new UserPoolClient(this, 'ApiClient', {
      userPool,
      generateSecret: false,
      // SRP for apps; the admin flow (IAM credentials only) for `npm run first-tenant`.
      authFlows: { userSrp: true, adminUserPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes('tenant_id'),
      // The tenant is never writable by a client: only AdminCreateUser sets it, once.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });
    this.issuer = cognitoIssuer(Stack.of(this), userPool.userPoolId);

    const { preTokenGeneration } = props;
    const trigger = new ServiceFunction(this, 'PreTokenGeneration', {
      serviceName: preTokenGeneration.serviceName,
      handlerFile: preTokenGeneration.handlerFile,
      logRetention: props.logRetention,
      protectData: props.protectData,
      // Cognito waits at most 5 seconds for a trigger.
      timeout: Duration.seconds(5),
      environment: { [tableNameVariable(preTokenGeneration.serviceName)]: preTokenGeneration.tableName },
    });
    // By name: the table lives in the service's stack, which depends on this one.
    trigger.allowUpdateItem(preTokenGeneration.tableName);
    userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, trigger.function, LambdaVersion.V2_0);
  }
}
