import { defineService, standardTable } from '../shared/service-definition.js';

const handlers = 'functions/catalog/handlers';

export const catalogService = defineService({
  name: 'catalog',
  table: standardTable,
  publishes: ['ProductCreated', 'ProductUpdated', 'StockReserved', 'StockReleased'],
  routes: {
    createProduct: {
      method: 'POST',
      path: '/products',
      handler: `${handlers}/create-product.ts`,
      access: ['admin'],
    },
    listProducts: {
      method: 'GET',
      path: '/products',
      handler: `${handlers}/list-products.ts`,
      access: ['admin', 'member'],
    },
    getProduct: {
      method: 'GET',
      path: '/products/{id}',
      handler: `${handlers}/get-product.ts`,
      access: ['admin', 'member'],
    },
    updateProduct: {
      method: 'PATCH',
      path: '/products/{id}',
      handler: `${handlers}/update-product.ts`,
      access: ['admin'],
    },
  },
  sagaTasks: {
    ReserveStock: { handler: `${handlers}/reserve-stock.ts` },
    ReleaseStock: { handler: `${handlers}/release-stock.ts` },
  },
});
