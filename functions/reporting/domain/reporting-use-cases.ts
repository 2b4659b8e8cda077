import { applyToOrderView, type OrderViewEvent } from './order-view.js';
import type { ReportingRepository } from './reporting-port.js';
import { confirmedSale, type SalesDay } from './sales.js';

/** Concurrent events of one order (a capture and a confirmation, say) race on the view's revision. */
const maxProjectionAttempts = 5;

export function reportingUseCases({ repository }: { repository: ReportingRepository }) {
  async function projectOrderView(tenantId: string, event: OrderViewEvent): Promise<void> {
    for (let attempt = 1; attempt <= maxProjectionAttempts; attempt += 1) {
      const stored = await repository.getOrderView(tenantId, event.data.orderId);
      const next = applyToOrderView(stored?.view, event);
      if (next === stored?.view) return;
      if (await repository.putOrderView(tenantId, next, stored?.revision)) return;
    }
    throw new Error(`The view of order ${event.data.orderId} kept changing; the event will be retried`);
  }

  return {
    /** Applies one event to the read models; safe to repeat and to receive out of order. */
    async project(event: OrderViewEvent): Promise<void> {
      const { tenantId } = event.metadata;
      await projectOrderView(tenantId, event);
      if (event.detailType === 'OrderConfirmed')
        await repository.recordSale(tenantId, confirmedSale(event.data));
    },

    salesReport(tenantId: string, from: string, to: string): Promise<SalesDay[]> {
      return repository.salesBetween(tenantId, from, to);
    },
  };
}

export type ReportingUseCases = ReturnType<typeof reportingUseCases>;
