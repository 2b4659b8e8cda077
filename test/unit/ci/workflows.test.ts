/**
 * The GitHub Actions workflows parse as YAML and do what the README says: test every push and pull
 * request with `.ci/run` (Node cached), diff pull requests against dev, deploy dev from main and
 * prod from a version tag behind the prod environment's approval, always through OIDC.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = (name: string): Workflow =>
  parse(readFileSync(join(__dirname, '..', '..', '..', '.github', 'workflows', name), 'utf8')) as Workflow;

const runs = (job: Job): string[] => job.steps.flatMap((step) => (step.run ? [step.run] : []));
const uses = (job: Job, action: string): Step | undefined =>
  job.steps.find((step) => step.uses?.startsWith(`${action}@`));

function expectsNodeCached(job: Job): void {
  expect(uses(job, 'actions/setup-node')?.with).toEqual({ 'node-version': 22, cache: 'npm' });
}

/** GitHub Actions expressions, compared as plain text. */
const deployRole = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
  'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
  'aws-region': '${{ vars.AWS_REGION }}',
};

function expectsOidcRole(job: Job, permissions: Record<string, string> | undefined): void {
  expect(permissions?.['id-token']).toBe('write');
  expect(uses(job, 'aws-actions/configure-aws-credentials')?.with).toEqual(deployRole);
}

describe('ci.yml', () => {
  const ci = workflow('ci.yml');

  it('runs on pushes to main and on pull requests', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on.push).toEqual({ branches: ['main'] });
  });

  it('tests with the CI entry point, Node 22 cached and Java 17', () => {
    const test = ci.jobs.test as Job;

    expectsNodeCached(test);
    expect(uses(test, 'actions/setup-java')?.with).toMatchObject({ 'java-version': 17 });
    expect(runs(test)).toEqual(['bash .ci/run']);
  });

  it('diffs pull requests against the deployed dev stage after the tests, through OIDC', () => {
    const diff = ci.jobs.diff as Job;

    expect(diff.if).toBe("github.event_name == 'pull_request'");
    expect(diff.needs).toBe('test');
    expectsOidcRole(diff, diff.permissions);
    expect(runs(diff)).toEqual([
      'npm ci --no-audit --no-fund',
      'npx cdk synth --all --quiet -c stage=dev',
      'npx cdk diff --all -c stage=dev',
    ]);
  });
});

describe('deploy.yml', () => {
  const deploy = workflow('deploy.yml');

  it('runs on pushes to main and on version tags', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'], tags: ['v*'] });
  });

  it.each([
    ['dev', "github.ref == 'refs/heads/main'"],
    ['prod', "startsWith(github.ref, 'refs/tags/v')"],
  ])('deploys %s when %s, tested first, in its environment, through OIDC', (stage, condition) => {
    const job = deploy.jobs[stage] as Job;

    expect(job.if).toBe(condition);
    expect(job.environment).toBe(stage);
    expectsNodeCached(job);
    expectsOidcRole(job, deploy.permissions);
    expect(runs(job)).toEqual([
      'bash .ci/run',
      `npx cdk deploy --all -c stage=${stage} --require-approval never`,
    ]);
  });

  it('holds no long-lived AWS keys', () => {
    for (const name of ['ci.yml', 'deploy.yml']) {
      const text = readFileSync(join(__dirname, '..', '..', '..', '.github', 'workflows', name), 'utf8');
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET/i);
    }
  });
});
