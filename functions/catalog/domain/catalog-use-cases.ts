import { ConflictError, NotFoundError, PreconditionFailedError } from '../../shared/errors.js';
import type { ListOptions, Page, ProductRepository, WriteContext } from './catalog-port.js';
import { applyPatch, createProduct, type NewProduct, type Product, type ProductPatch } from './product.js';

export class DuplicateSkuError extends ConflictError {
  constructor(sku: string) {
    super(`A product with sku "${sku}" already exists in this tenant.`);
  }
}

/** Optimistic-concurrency attempts for a PATCH without If-Match before giving up with 409. */
const maxUpdateAttempts = 3;

export interface CatalogDependencies {
  repository: ProductRepository;
  newId: () => string;
  now: () => Date;
}

export function catalogUseCases({ repository, newId, now }: CatalogDependencies) {
  async function getProduct(tenantId: string, productId: string): Promise<Product> {
    const product = await repository.get(tenantId, productId);
    if (!product) throw new NotFoundError(`No product ${productId}.`);
    return product;
  }

  return {
    async createProduct(context: WriteContext, input: NewProduct): Promise<Product> {
      const product = createProduct(input, newId(), now());
      await repository.create(context, product);
      return product;
    },

    getProduct,

    listProducts(tenantId: string, options: ListOptions): Promise<Page<Product>> {
      return repository.list(tenantId, options);
    },

    /** `ifMatch` is the version the client last saw; without it, concurrent writes are retried. */
    async updateProduct(
      context: WriteContext,
      productId: string,
      patch: ProductPatch,
      ifMatch?: number,
    ): Promise<Product> {
      for (let attempt = 1; attempt <= maxUpdateAttempts; attempt += 1) {
        const current = await getProduct(context.tenantId, productId);
        if (ifMatch !== undefined && current.version !== ifMatch) {
          throw new PreconditionFailedError(`The product is at version ${current.version}, not ${ifMatch}.`);
        }
        const next = applyPatch(current, patch, now());
        if (await repository.replace(context, next, current.version)) return next;
        if (ifMatch !== undefined) {
          throw new PreconditionFailedError(`The product changed while it was being updated.`);
        }
      }
      throw new ConflictError('The product is being changed concurrently; retry the request.');
    },
  };
}

export type CatalogUseCases = ReturnType<typeof catalogUseCases>;
