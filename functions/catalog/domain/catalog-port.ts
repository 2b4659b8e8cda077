import type { WriteContext } from '../../shared/outbox.js';
import type { PageRequest as ListOptions, Page } from '../../shared/pagination.js';
import type { Product } from './product.js';

export type { ListOptions, Page, WriteContext };

/** What the catalog's use cases need from storage. Adapters implement it. */
export interface ProductRepository {
  /** Fails with DuplicateSkuError when the sku is taken in the tenant. */
  create(context: WriteContext, product: Product): Promise<void>;
  get(tenantId: string, productId: string): Promise<Product | undefined>;
  list(tenantId: string, options: ListOptions): Promise<Page<Product>>;
  /** Writes `next` only if the stored version is still `expectedVersion`; returns false otherwise. */
  replace(context: WriteContext, next: Product, expectedVersion: number): Promise<boolean>;
}
