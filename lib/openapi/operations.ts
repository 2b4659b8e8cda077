/**
 * What the OpenAPI description says of each declared route beyond the declaration itself: a
 * summary, the zod schemas the handler validates with, the success response, and the statuses the
 * route answers for its own reasons. Statuses that follow from the declaration (401/403 for a
 * protected route, 400/413/415 for a body, 404 for a path parameter) are added by document.ts.
 */
import * as z from 'zod/mini';
import { productEventData } from '../../events/catalog/product-schema.js';
import { invoicesQuery } from '../../functions/billing/handlers/invoice-http.js';
import { newProductSchema, productPatchSchema } from '../../functions/catalog/domain/product.js';
import { productPath } from '../../functions/catalog/handlers/product-http.js';
import { newTenantSchema, newUserSchema, userStatuses } from '../../functions/identity/domain/identity.js';
import { notificationTypes } from '../../functions/notifications/domain/notification.js';
import { orderStatuses, placeOrderSchema } from '../../functions/orders/domain/order.js';
import { listOrdersQuery, orderPath } from '../../functions/orders/handlers/order-http.js';
import { salesReportQuery } from '../../functions/reporting/domain/sales.js';
import { graphqlBody } from '../../functions/reporting/graphql/execute.js';
import { pageFields } from '../../functions/shared/pagination.js';
import { roles } from '../../functions/shared/service-definition.js';

type Schema = z.ZodMiniType;

export interface OperationDoc {
  summary: string;
  body?: Schema;
  query?: Schema;
  path?: Schema;
  /** Request headers the route reads, with their meaning. */
  headers?: Record<string, string>;
  success: { status: number; description: string; schema?: Schema; headers?: Record<string, string> };
  /** Statuses this route answers for reasons of its own, with when. */
  statuses?: Record<number, string>;
  /** Bodies a status carries besides problem+json (or the success schema), by media type. */
  otherBodies?: Record<number, Record<string, Schema>>;
}

/** GraphQL over HTTP's answers: an executed operation, and a request error. */
const graphqlResult = z.object({ data: z.nullable(z.unknown()), errors: z.optional(z.array(z.unknown())) });
const graphqlErrors = z.object({ errors: z.array(z.object({ message: z.string() })) });

const page = <Item extends Schema>(item: Item) =>
  z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });

const tenant = z.object({ tenantId: z.string(), name: z.string(), createdAt: z.iso.datetime() });
const user = z.object({
  userId: z.string(),
  email: z.string(),
  role: z.enum(roles),
  status: z.enum(userStatuses),
  createdAt: z.iso.datetime(),
  /** An INVITED user's: when the invitation lapses and is removed. */
  expiresAt: z.optional(z.iso.datetime()),
});
const order = z.object({
  orderId: z.string(),
  status: z.enum(orderStatuses),
  statusReason: z.optional(z.string()),
  items: z.array(z.object({ productId: z.string(), quantity: z.int(), unitPriceCents: z.optional(z.int()) })),
  totalCents: z.optional(z.int()),
  currency: z.optional(z.string()),
  invoiceId: z.optional(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
const invoice = z.object({
  invoiceId: z.string(),
  orderId: z.string(),
  amountCents: z.int(),
  currency: z.string(),
  status: z.enum(['PAID', 'REFUNDED']),
  createdAt: z.iso.datetime(),
});
const notification = z.object({
  notificationId: z.string(),
  type: z.enum(notificationTypes),
  orderId: z.string(),
  message: z.string(),
  createdAt: z.iso.datetime(),
});
const salesDays = z.object({
  days: z.array(z.object({ date: z.string(), currency: z.string(), orders: z.int(), revenueCents: z.int() })),
});

const duplicateEmail = 'the email is already a user (of this tenant or another)';
const externalIssuer = 'the deployment trusts an external issuer, which manages its users';

export const operations: Record<string, OperationDoc> = {
  'GET /health': {
    summary: 'Liveness',
    success: { status: 200, description: 'Up', schema: z.object({ status: z.literal('ok') }) },
  },
  'POST /tenants': {
    summary: 'Sign a tenant up and invite its first admin',
    body: newTenantSchema,
    headers: {
      'Idempotency-Key': 'Repeats with the same key and body within 24 hours return the first tenant',
    },
    success: { status: 201, description: 'The tenant (never a token)', schema: tenant },
    statuses: {
      409: duplicateEmail,
      422: 'the Idempotency-Key was used with another body',
      501: externalIssuer,
    },
  },
  'GET /me': {
    summary: 'The caller, from the verified token',
    success: {
      status: 200,
      description: 'The caller',
      schema: z.object({ userId: z.string(), tenantId: z.string(), roles: z.array(z.string()) }),
    },
  },
  'POST /users': {
    summary: "Invite a user into the caller's tenant",
    body: newUserSchema,
    success: { status: 201, description: 'The invited user', schema: user },
    statuses: { 409: duplicateEmail, 501: externalIssuer },
  },
  'GET /users': {
    summary: "The caller's tenant's users",
    query: pageFields,
    success: { status: 200, description: 'A page of users', schema: page(user) },
  },
  'DELETE /users/{userId}': {
    summary: "Remove a user of the caller's tenant: signed out and deleted from the directory",
    path: z.strictObject({ userId: z.string() }),
    success: { status: 204, description: 'Removed; its access tokens stay valid until they expire' },
    statuses: { 409: 'an admin cannot remove themselves', 501: externalIssuer },
  },
  'POST /products': {
    summary: 'Create a product',
    body: newProductSchema,
    success: {
      status: 201,
      description: 'The product',
      schema: productEventData,
      headers: { Location: 'The product', ETag: 'The version, for If-Match' },
    },
    statuses: { 409: 'the sku exists in the tenant' },
  },
  'GET /products': {
    summary: "The tenant's products",
    query: pageFields,
    success: { status: 200, description: 'A page of products', schema: page(productEventData) },
  },
  'GET /products/{id}': {
    summary: 'A product',
    path: productPath,
    success: {
      status: 200,
      description: 'The product',
      schema: productEventData,
      headers: { ETag: 'The version' },
    },
  },
  'PATCH /products/{id}': {
    summary: 'Change a product',
    path: productPath,
    body: productPatchSchema,
    headers: { 'If-Match': 'The version the change is based on (the ETag)' },
    success: {
      status: 200,
      description: 'The product',
      schema: productEventData,
      headers: { ETag: 'The new version' },
    },
    statuses: { 409: 'changed concurrently; retry', 412: 'If-Match is not the current version' },
  },
  'POST /orders': {
    summary: 'Place an order; the saga settles it',
    body: placeOrderSchema,
    headers: { 'Idempotency-Key': 'Repeats with the same key and body return the first response' },
    success: {
      status: 202,
      description: 'The PENDING order',
      schema: order,
      headers: { Location: 'The order' },
    },
    statuses: {
      409: 'a request with this Idempotency-Key is in progress',
      422: 'the Idempotency-Key was used with another body',
    },
  },
  'GET /orders': {
    summary: "Orders, newest first: members their own, admins the tenant's",
    query: listOrdersQuery,
    success: { status: 200, description: 'A page of orders', schema: page(order) },
  },
  'GET /orders/{id}': {
    summary: 'An order (its owner or an admin)',
    path: orderPath,
    success: { status: 200, description: 'The order', schema: order },
  },
  'GET /invoices': {
    summary: "An order's invoices (its owner or an admin)",
    query: invoicesQuery,
    success: { status: 200, description: 'The invoices', schema: z.object({ items: z.array(invoice) }) },
  },
  'GET /notifications': {
    summary: "The caller's notifications, newest first",
    query: pageFields,
    success: { status: 200, description: 'A page of notifications', schema: page(notification) },
  },
  'GET /reports/sales': {
    summary: 'Confirmed orders per day and currency (admins)',
    query: salesReportQuery,
    success: { status: 200, description: 'The days with sales', schema: salesDays },
  },
  'POST /graphql': {
    summary: 'GraphQL over the read models',
    body: graphqlBody,
    success: {
      status: 200,
      description: 'An executed operation: data, and errors of fields that failed',
      schema: graphqlResult,
    },
    statuses: {
      400: 'the document does not parse or validate, or is over a limit: GraphQL errors (problem+json only for a body that is not JSON)',
    },
    otherBodies: {
      200: { 'application/graphql-response+json': graphqlResult },
      400: { 'application/json': graphqlErrors, 'application/graphql-response+json': graphqlErrors },
    },
  },
};
