import '../orders/support/handler-environment.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaContext } from '../../fixtures/lambda-events.js';

process.env.IDENTITY_TABLE_NAME = 'identity-test';
const dynamoDb = mockClient(DynamoDBDocumentClient);

/** Cognito's V2 event as delivered, from the fixture (a real event's shape, ids replaced). */
const cognitoEvent = (overrides: Partial<PreTokenGenerationV2TriggerEvent> = {}) =>
  ({
    ...JSON.parse(
      readFileSync(join(__dirname, '../../fixtures/cognito/pre-token-generation-v2.json'), 'utf8'),
    ),
    ...overrides,
  }) as PreTokenGenerationV2TriggerEvent;

let handler: (
  event: PreTokenGenerationV2TriggerEvent,
  context: unknown,
) => Promise<PreTokenGenerationV2TriggerEvent>;

beforeAll(async () => {
  ({ handler } = (await import(
    '../../../functions/identity/handlers/pre-token-generation.js'
  )) as unknown as {
    handler: typeof handler;
  });
});

beforeEach(() => {
  dynamoDb.reset();
  dynamoDb.on(UpdateCommand).resolves({});
});

describe('pre-token-generation trigger', () => {
  it('adds the tenant claim to the access and ID tokens from the immutable attribute', async () => {
    const result = await handler(cognitoEvent(), lambdaContext());

    expect(result.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: '01JTENANT00000000000000001' } },
      idTokenGeneration: { claimsToAddOrOverride: { tenant_id: '01JTENANT00000000000000001' } },
    });
  });

  it.each(['TokenGeneration_Authentication', 'TokenGeneration_NewPasswordChallenge'] as const)(
    'marks the membership ACTIVE on a sign-in (%s), only if it is INVITED',
    async (triggerSource) => {
      await handler(cognitoEvent({ triggerSource }), lambdaContext());

      const calls = dynamoDb.commandCalls(UpdateCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toMatchObject({
        TableName: 'identity-test',
        Key: { PK: 'T#01JTENANT00000000000000001', SK: 'USER#3c8b1f4e-5a2d-4f6e-9b7c-1d2e3f4a5b6c' },
        ConditionExpression: 'attribute_exists(PK) AND #status = :invited',
      });
    },
  );

  it('writes nothing when tokens are only refreshed', async () => {
    await handler(cognitoEvent({ triggerSource: 'TokenGeneration_RefreshTokens' }), lambdaContext());

    expect(dynamoDb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('still issues the tokens when the user is already active or the table is down', async () => {
    dynamoDb
      .on(UpdateCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    await expect(handler(cognitoEvent(), lambdaContext())).resolves.toBeDefined();

    dynamoDb.on(UpdateCommand).rejectsOnce(new Error('throttled'));
    const result = await handler(cognitoEvent(), lambdaContext());

    expect(
      result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({
      tenant_id: '01JTENANT00000000000000001',
    });
  });

  it('refuses to issue tokens to a user without a tenant', async () => {
    const event = cognitoEvent();
    delete event.request.userAttributes['custom:tenant_id'];

    await expect(handler(event, lambdaContext())).rejects.toThrow('The user has no tenant');
    expect(dynamoDb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
