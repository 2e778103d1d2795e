// Orders of the tests' own, placed through the API as whoever is signed in (the seeded
// customer: ordering needs a confirmed address), and cancelled again afterwards so that
// their reserved stock goes back for the other test files.
import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { signIn, signOut } from '@/test/backend';

import type { Order } from './api';

const placed: string[] = [];

export async function placeOrder(comment?: string): Promise<Order> {
  // The seeded customer's cart may hold other files' leftovers.
  unwrap(await api.DELETE('/api/v1/cart'));
  const products = unwrap(await api.GET('/api/v1/products', { params: { query: { in_stock: true, size: 100 } } }));
  const product = products.items.reduce((most, item) => (item.available > most.available ? item : most));
  unwrap(await api.POST('/api/v1/cart/items', { body: { product_id: product.id, quantity: 1 } }));
  const order = unwrap(
    await api.POST('/api/v1/orders', {
      body: {
        shipping_address: {
          full_name: 'Grace Hopper',
          line1: 'Compiler Lane 7',
          city: 'Arlington',
          postal_code: '22201',
          country: 'us',
        },
        comment: comment ?? null,
      },
    }),
  );
  placed.push(order.id);
  return order;
}

/** For afterAll: cancel what the tests left pending or paid. */
export async function cancelPlacedOrders(): Promise<void> {
  await signIn('operator');
  for (const id of placed.splice(0)) {
    const order = unwrap(await api.GET('/api/v1/orders/{order_id}', { params: { path: { order_id: id } } }));
    if (order.status === 'pending' || order.status === 'paid') {
      unwrap(await api.POST('/api/v1/orders/{order_id}/cancel', { params: { path: { order_id: id } } }));
    }
  }
  signOut();
}
