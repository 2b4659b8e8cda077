import type { Page, PageRequest } from '../../shared/pagination.js';
import type { OrderView, OrderViewStatus } from './order-view.js';
import type { ConfirmedSale, SalesDay } from './sales.js';

export interface StoredOrderView {
  view: OrderView;
  /** Bumped by every write; a write names the revision it read. */
  revision: number;
}

/** A product as order lines show it; kept at the highest version seen. */
export interface ProductView {
  productId: string;
  sku: string;
  name: string;
  version: number;
}

export interface OrderViewQuery extends PageRequest {
  /** Only this user's orders; without it, every order of the tenant. */
  userId?: string;
  status?: OrderViewStatus;
}

/** What the reporting use cases need from storage. Adapters implement it. */
export interface ReportingRepository {
  getOrderView(tenantId: string, orderId: string): Promise<StoredOrderView | undefined>;
  /**
   * Writes only if the stored revision is still `expectedRevision` (none for a new view); false
   * otherwise. With a sale, adds it to its day in the same transaction.
   */
  putOrderView(
    tenantId: string,
    view: OrderView,
    expectedRevision: number | undefined,
    sale?: ConfirmedSale,
  ): Promise<boolean>;
  /** Days with sales from `from` to `to`, both included, by date then currency. */
  salesBetween(tenantId: string, from: string, to: string): Promise<SalesDay[]>;
  /** Newest first. */
  listOrderViews(tenantId: string, query: OrderViewQuery): Promise<Page<OrderView>>;
  /** Keeps the product unless a higher version is stored already. */
  putProductView(tenantId: string, product: ProductView): Promise<void>;
  /** The stored products among `productIds` (one batch read, whatever the number of lines). */
  getProductViews(tenantId: string, productIds: readonly string[]): Promise<ProductView[]>;
}
