/** The baseline the authorizers are measured against: aws-jwt-verify alone, allowing a verified token. */

import { JwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';

const verifier = JwtVerifier.create({
  issuer: process.env.AUTH_ISSUER ?? '',
  audience: process.env.AUTH_AUDIENCE ?? '',
  jwksUri: `${process.env.AUTH_ISSUER}/.well-known/jwks.json`,
});

export async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const payload = await verifier.verify(event.authorizationToken.replace(/^Bearer /, '')).catch(() => {
    throw new Error('Unauthorized');
  });
  return {
    principalId: String(payload.sub),
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
  };
}
