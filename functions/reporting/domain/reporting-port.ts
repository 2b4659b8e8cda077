import type { OrderView } from './order-view.js';
import type { ConfirmedSale, SalesDay } from './sales.js';

export interface StoredOrderView {
  view: OrderView;
  /** Bumped by every write; a write names the revision it read. */
  revision: number;
}

/** What the reporting use cases need from storage. Adapters implement it. */
export interface ReportingRepository {
  getOrderView(tenantId: string, orderId: string): Promise<StoredOrderView | undefined>;
  /** Writes only if the stored revision is still `expectedRevision` (none for a new view); false otherwise. */
  putOrderView(tenantId: string, view: OrderView, expectedRevision: number | undefined): Promise<boolean>;
  /** Adds the sale to its day once per order; false when the order was counted before. */
  recordSale(tenantId: string, sale: ConfirmedSale): Promise<boolean>;
  /** Days with sales from `from` to `to`, both included, by date then currency. */
  salesBetween(tenantId: string, from: string, to: string): Promise<SalesDay[]>;
}
