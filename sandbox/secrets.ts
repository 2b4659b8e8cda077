/**
 * Secrets Manager's GetSecretValue offline, for functions that read a secret at cold start (the
 * Stripe key, when the sandbox charges through its Stripe fake). Only what the sandbox itself put
 * here can be read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { awsJsonError, serveAwsJsonOperation } from './aws-json-api.js';

export interface LocalSecrets {
  handleApiRequest(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export function createLocalSecrets(secrets: Readonly<Record<string, string>>): LocalSecrets {
  return {
    handleApiRequest: (request, response) =>
      serveAwsJsonOperation<{ SecretId?: string }>(request, response, {
        target: 'secretsmanager.GetSecretValue',
        version: '1.1',
        handle: ({ SecretId = '' }) => {
          const secret = secrets[SecretId];
          if (secret === undefined) {
            return awsJsonError(
              'ResourceNotFoundException',
              `Secrets Manager can't find the specified secret.`,
            );
          }
          return {
            status: 200,
            body: {
              ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${SecretId}-sandbx`,
              Name: SecretId,
              SecretString: secret,
              VersionId: 'sandbox',
              VersionStages: ['AWSCURRENT'],
            },
          };
        },
      }),
  };
}
