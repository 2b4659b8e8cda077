/**
 * The read side's GraphQL schema (the contract's SDL) and its resolvers over the reporting read
 * models. Visibility is the REST rule: members see their own orders, admins the tenant's; nothing
 * crosses tenants because every read is keyed by the caller's tenant. Product names and skus of
 * order lines are read with one batch per request level (DataLoader), never one read per line.
 */
import DataLoader from 'dataloader';
import { buildSchema, GraphQLError } from 'graphql';
import type { Caller } from '../../shared/auth/caller.js';
import { ProblemError } from '../../shared/errors.js';
import { defaultPageSize, maxPageSize } from '../../shared/pagination.js';
import { plainTextMessage, text } from '../../shared/text.js';
import type { OrderView } from '../domain/order-view.js';
import type { ProductView } from '../domain/reporting-port.js';
import type { ReportingUseCases } from '../domain/reporting-use-cases.js';
import { salesReportQuery } from '../domain/sales.js';

/** The REST rules for the same inputs: an order id, and an opaque cursor. */
const orderId = text({ min: 1, max: 64 });
const cursorText = text({ min: 1, max: 2048 });

export const typeDefs = /* GraphQL */ `
  type Query {
    me: Me!
    order(id: ID!): OrderView
    orders(status: OrderStatus, first: Int = ${defaultPageSize}, after: String): OrderConnection!
    salesReport(from: String!, to: String!): [SalesDay!]!
  }
  type Me { userId: ID!  tenantId: ID!  roles: [String!]! }
  enum OrderStatus { PENDING CONFIRMED CANCELLED }
  type OrderView { orderId: ID!  status: OrderStatus!  statusReason: String  totalCents: Int
    currency: String  createdAt: String!  updatedAt: String!  items: [OrderLine!]!
    invoice: InvoiceView  history: [StatusChange!]! }
  type OrderLine { productId: ID!  sku: String  name: String  quantity: Int!  unitPriceCents: Int }
  type InvoiceView { invoiceId: ID!  amountCents: Int!  currency: String!  status: String! }
  type StatusChange { status: OrderStatus!  reason: String  at: String! }
  type OrderConnection { items: [OrderView!]!  nextCursor: String }
  type SalesDay { date: String!  currency: String!  orders: Int!  revenueCents: Int! }
`;

export const schema = buildSchema(typeDefs);

export interface GraphqlContext {
  caller: Caller;
  products: DataLoader<string, ProductView | undefined>;
}

export const errorCodes = {
  forbidden: 'FORBIDDEN',
  badUserInput: 'BAD_USER_INPUT',
  tooComplex: 'QUERY_TOO_COMPLEX',
} as const;

const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: errorCodes.badUserInput } });

/** One BatchGetItem for all the product ids a request level asks for. */
export function productLoader(reporting: ReportingUseCases, tenantId: string) {
  return new DataLoader<string, ProductView | undefined>(async (productIds) => {
    const found = new Map((await reporting.productViews(tenantId, productIds)).map((p) => [p.productId, p]));
    return productIds.map((productId) => found.get(productId));
  });
}

/** The GraphQL shape of a view: lines resolve their product lazily, through the request's loader. */
function orderViewResult(view: OrderView, context: GraphqlContext) {
  return {
    ...view,
    createdAt: view.createdAt ?? view.updatedAt,
    items: view.items.map((line) => ({
      ...line,
      sku: async () => (await context.products.load(line.productId))?.sku ?? null,
      name: async () => (await context.products.load(line.productId))?.name ?? null,
    })),
  };
}

/** Bad cursors and similar client errors from the layers below become BAD_USER_INPUT. */
async function asUserInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProblemError && error.status === 400) throw badInput(error.message);
    throw error;
  }
}

export function rootResolvers(reporting: ReportingUseCases) {
  return {
    me: (_: unknown, { caller }: GraphqlContext) => ({
      userId: caller.userId,
      tenantId: caller.tenantId,
      roles: caller.roles,
    }),

    order: async ({ id }: { id: string }, context: GraphqlContext) => {
      if (!orderId.safeParse(id).success)
        throw badInput(`id must be 1-64 characters of text (${plainTextMessage})`);
      const view = await reporting.orderView(context.caller, id);
      return view ? orderViewResult(view, context) : null;
    },

    orders: async (
      { status, first, after }: { status?: OrderView['status']; first: number; after?: string },
      context: GraphqlContext,
    ) => {
      if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
        throw badInput(`first must be from 1 to ${maxPageSize}`);
      }
      if (after !== undefined && !cursorText.safeParse(after).success)
        throw badInput('after is not a valid cursor');
      const page = await asUserInput(() =>
        reporting.orderViews(context.caller, {
          limit: first,
          ...(status ? { status } : {}),
          ...(after ? { cursor: after } : {}),
        }),
      );
      return {
        items: page.items.map((view) => orderViewResult(view, context)),
        nextCursor: page.nextCursor ?? null,
      };
    },

    salesReport: async ({ from, to }: { from: string; to: string }, { caller }: GraphqlContext) => {
      if (!caller.roles.includes('admin')) {
        throw new GraphQLError('salesReport is for admins only', {
          extensions: { code: errorCodes.forbidden },
        });
      }
      const range = salesReportQuery.safeParse({ from, to });
      if (!range.success) throw badInput(range.error.issues.map((issue) => issue.message).join('; '));
      return reporting.salesReport(caller.tenantId, range.data.from, range.data.to);
    },
  };
}
