import { join } from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { tableNameVariable, userDirectoryVariables } from '../../functions/shared/service-definition.js';
import { functionBundling } from '../config/bundling.js';
import type { ServiceTable } from './service-table.js';

export const repositoryRoot = join(import.meta.dirname, '..', '..');

/**
 * Where functions that declare `uses: ['userDirectory']` create users: the stack's Cognito user
 * pool, a `/_dev/users`-compatible endpoint (LocalStack against the sandbox's issuer), or none
 * when an external issuer manages its users itself.
 */
export type UserDirectoryBinding = { userPool: IUserPool } | { localEndpoint: string } | undefined;

/** What the identity service's Cognito adapter calls, and nothing more. */
export const userDirectoryActions = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
] as const;

export interface ServiceFunctionProps {
  serviceName: string;
  /** Handler file relative to the repository root, as the service declares it. */
  handlerFile: string;
  logRetention: RetentionDays;
  protectData: boolean;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
}

/**
 * The house Lambda: latest Node runtime on ARM64, X-Ray active, JSON logs into an explicit log group,
 * each handler bundled alone as lib/config/bundling.ts says.
 */
export class ServiceFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write only to its own log group.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.role = role;
    logGroup.grantWrite(role);
    this.function = new NodejsFunction(this, 'Function', {
      role,
      entry: join(repositoryRoot, props.handlerFile),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      loggingFormat: LoggingFormat.JSON,
      // Lambda's START/END/REPORT lines are INFO system logs: at WARN they are not ingested (about
      // 600 bytes an invocation); duration and errors stay in CloudWatch metrics.
      systemLogLevelV2: SystemLogLevel.WARN,
      logGroup,
      projectRoot: repositoryRoot,
      depsLockFilePath: join(repositoryRoot, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'ServerlessSaas',
        ...props.environment,
      },
      bundling: { ...functionBundling, sourceMap: false, format: OutputFormat.ESM },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /** Sets the variable that locates the user directory and grants its actions on that pool only. */
  bindUserDirectory(binding: UserDirectoryBinding): void {
    if (binding === undefined) return;
    if ('localEndpoint' in binding) {
      this.function.addEnvironment(userDirectoryVariables.localEndpoint, binding.localEndpoint);
      return;
    }
    this.function.addEnvironment(userDirectoryVariables.userPoolId, binding.userPool.userPoolId);
    binding.userPool.grant(this.function, ...userDirectoryActions);
  }

  /** Sets the table-name variable and grants access in one step, so neither can be forgotten. */
  bindTable(serviceName: string, table: ServiceTable, access: 'read' | 'readWrite'): void {
    this.function.addEnvironment(tableNameVariable(serviceName), table.table.tableName);
    if (access === 'read') table.table.grantReadData(this.function);
    else table.table.grantReadWriteData(this.function);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(table).getLogicalId(table.table.node.defaultChild as CfnElement)}.Arn>/index/*]`,
      reason: "The wildcard covers the service's own table's indexes (Query on GSI1), nothing else.",
    });
  }
}
