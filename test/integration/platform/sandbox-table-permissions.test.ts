/**
 * What passes offline deploys: a function whose declaration forgets an action it calls fails in
 * the sandbox as it would deployed (IAM's AccessDeniedException, answered 500), instead of
 * passing offline and failing after the deploy.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { catalogService } from '../../../functions/catalog/service.js';
import { tableNameVariable } from '../../../functions/shared/service-definition.js';
import { installTablePermissionCheck, invokedAs } from '../../../sandbox/table-permissions.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { apiGatewayEvent, lambdaContext } from '../../fixtures/lambda-events.js';

const client = new DynamoDBClient({});
const table = sandboxTableName(catalogService.name);
const route = catalogService.routes.getProduct;
let handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  Object.assign(process.env, {
    [tableNameVariable(catalogService.name)]: table,
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  await createServiceTables(client, [catalogService]);
  const { documentClient } = await import('../../../functions/shared/dynamodb.js');
  installTablePermissionCheck(documentClient);
  ({ handler } = await import('../../../functions/catalog/handlers/get-product.js'));
});

afterAll(() => client.destroy());

const getProduct = (actions: readonly ('GetItem' | 'Query')[]) =>
  invokedAs({ name: route.handler, table, actions }, () =>
    handler(
      apiGatewayEvent({
        method: 'GET',
        resource: route.path,
        path: '/products/p-missing',
        pathParameters: { id: 'p-missing' },
        caller: { tenantId: 't-permissions', userId: 'u1', roles: ['member'] },
      }),
      lambdaContext('catalog-getProduct'),
    ),
  );

describe('a declared function in the sandbox', () => {
  it('reads its table with the actions it declares', async () => {
    expect(route.tableActions).toEqual(['GetItem']);

    expect((await getProduct(route.tableActions)).statusCode).toBe(404);
  });

  it('fails as deployed (500, nothing read) when its declaration loses the action it calls', async () => {
    const response = await getProduct(['Query']);

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ title: 'Internal Server Error' });
  });
});
