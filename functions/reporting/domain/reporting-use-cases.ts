import type { EventDetail } from '../../../events/envelope.js';
import type { Caller } from '../../shared/auth/caller.js';
import type { Page } from '../../shared/pagination.js';
import { applyToOrderView, type OrderView, type OrderViewEvent, type OrderViewStatus } from './order-view.js';
import type { ProductView, ReportingRepository } from './reporting-port.js';
import { confirmedSale, type SalesDay } from './sales.js';

/** Catalog events keep the product views that order lines show names and skus from. */
export type ProductEvent = EventDetail<unknown> & {
  detailType: 'ProductCreated' | 'ProductUpdated';
  data: ProductView;
};

export type ProjectedEvent = OrderViewEvent | ProductEvent;

const isProductEvent = (event: ProjectedEvent): event is ProductEvent =>
  event.detailType === 'ProductCreated' || event.detailType === 'ProductUpdated';

const wasConfirmed = (view: OrderView | undefined) =>
  view?.history.some((change) => change.status === 'CONFIRMED') ?? false;

/** Members see their own orders, admins the tenant's: the REST rule. */
const seesAllOrders = (caller: Caller) => caller.roles.includes('admin');

/** Concurrent events of one order (a refund and a cancellation, say) race on the view's revision. */
const maxProjectionAttempts = 5;

export function reportingUseCases({ repository }: { repository: ReportingRepository }) {
  /** The first write of a view as confirmed counts the order's sale, in the same transaction. */
  async function projectOrderView(tenantId: string, event: OrderViewEvent): Promise<void> {
    for (let attempt = 1; attempt <= maxProjectionAttempts; attempt += 1) {
      const stored = await repository.getOrderView(tenantId, event.data.orderId);
      const next = applyToOrderView(stored?.view, event);
      if (next === stored?.view) return;
      const sale =
        event.detailType === 'OrderConfirmed' && !wasConfirmed(stored?.view)
          ? confirmedSale(event.data)
          : undefined;
      if (await repository.putOrderView(tenantId, next, stored?.revision, sale)) return;
    }
    throw new Error(`The view of order ${event.data.orderId} kept changing; the event will be retried`);
  }

  return {
    /** Applies one event to the read models; safe to repeat and to receive out of order. */
    async project(event: ProjectedEvent): Promise<void> {
      const { tenantId } = event.metadata;
      if (isProductEvent(event)) {
        const { productId, sku, name, version } = event.data;
        await repository.putProductView(tenantId, { productId, sku, name, version });
        return;
      }
      await projectOrderView(tenantId, event);
    },

    salesReport(tenantId: string, from: string, to: string): Promise<SalesDay[]> {
      return repository.salesBetween(tenantId, from, to);
    },

    /** The order's view, or undefined when it is absent or not the caller's to see. */
    async orderView(caller: Caller, orderId: string): Promise<OrderView | undefined> {
      const stored = await repository.getOrderView(caller.tenantId, orderId);
      if (!stored) return undefined;
      return seesAllOrders(caller) || stored.view.userId === caller.userId ? stored.view : undefined;
    },

    orderViews(
      caller: Caller,
      query: { status?: OrderViewStatus; limit: number; cursor?: string },
    ): Promise<Page<OrderView>> {
      return repository.listOrderViews(caller.tenantId, {
        ...query,
        ...(seesAllOrders(caller) ? {} : { userId: caller.userId }),
      });
    },

    productViews(tenantId: string, productIds: readonly string[]): Promise<ProductView[]> {
      return repository.getProductViews(tenantId, productIds);
    },
  };
}

export type ReportingUseCases = ReturnType<typeof reportingUseCases>;
