/**
 * `npm run first-tenant -- --stage dev --name "Acme Shop" --email ada@example.com`: after
 * `cdk deploy`, signs the first tenant up, sets its admin's password and signs the admin in
 * (lib/operations/first-tenant.ts). Reads the API URL and the user pool from the stacks' outputs,
 * with the AWS credentials and region of the environment.
 */
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createFirstTenant } from '../lib/operations/first-tenant.js';

const { values } = parseArgs({
  options: {
    stage: { type: 'string', default: 'dev' },
    name: { type: 'string' },
    email: { type: 'string' },
  },
});
if (!values.name || !values.email) {
  console.error('usage: npm run first-tenant -- --stage dev --name "Acme Shop" --email ada@example.com');
  process.exit(2);
}

const cloudFormation = new CloudFormationClient({});
async function outputsOf(stackName: string): Promise<Record<string, string>> {
  const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  return Object.fromEntries(
    (Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
  );
}

const prefix = `ServerlessSaas-${values.stage}`;
const [platform, apiStage] = await Promise.all([
  outputsOf(`${prefix}-Platform`),
  outputsOf(`${prefix}-ApiStage`),
]);
const { UserPoolId: userPoolId, UserPoolClientId: clientId } = platform;
const { ApiUrl: apiUrl } = apiStage;
if (!userPoolId || !clientId) {
  console.error(
    `${prefix}-Platform has no user pool: this stage trusts an external issuer; sign up and sign in there.`,
  );
  process.exit(1);
}
if (!apiUrl) throw new Error(`${prefix}-ApiStage has no ApiUrl output`);

const tenant = await createFirstTenant(
  { apiUrl, userPoolId, clientId, tenantName: values.name, adminEmail: values.email },
  new CognitoIdentityProviderClient({}),
);
console.log(
  [
    `tenant ${tenant.tenantId} created; its admin ${tenant.adminEmail} is signed in.`,
    `password (shown once; change it in the app): ${tenant.password}`,
    `GET /me: ${JSON.stringify(tenant.me)}`,
    `export API=${apiUrl.replace(/\/$/, '')}`,
    `export TOKEN=${tenant.accessToken}`,
  ].join('\n'),
);
