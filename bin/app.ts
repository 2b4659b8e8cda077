import { App } from 'aws-cdk-lib';
import { stageConfig } from '../lib/config/stages.js';
import { buildServerlessSaas } from '../lib/serverless-saas-app.js';

const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
buildServerlessSaas(
  app,
  stageConfig((key) => app.node.tryGetContext(key)),
  account && region ? { account, region } : undefined,
);
app.synth();
