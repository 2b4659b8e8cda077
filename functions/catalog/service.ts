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
      tableActions: ['PutItem'],
      access: ['admin'],
    },
    listProducts: {
      method: 'GET',
      path: '/products',
      handler: `${handlers}/list-products.ts`,
      tableActions: ['Query'],
      access: ['admin', 'member'],
    },
    getProduct: {
      method: 'GET',
      path: '/products/{id}',
      handler: `${handlers}/get-product.ts`,
      tableActions: ['GetItem'],
      access: ['admin', 'member'],
    },
    updateProduct: {
      method: 'PATCH',
      path: '/products/{id}',
      handler: `${handlers}/update-product.ts`,
      tableActions: ['GetItem', 'PutItem'],
      access: ['admin'],
    },
  },
  sagaTasks: {
    ReserveStock: {
      handler: `${handlers}/reserve-stock.ts`,
      tableActions: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'],
    },
    ReleaseStock: {
      handler: `${handlers}/release-stock.ts`,
      tableActions: ['GetItem', 'PutItem', 'UpdateItem'],
    },
  },
});
