// Orders: the lists (a customer's own, the staff's all), one order, and its status steps.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, type Schemas } from '@/api/client';
import type { paths } from '@/api/schema';
import { unwrap } from '@/lib/errors';

export type Order = Schemas['OrderOut'];
export type OrderStatus = Schemas['OrderStatus'];
export type OrderListQuery = NonNullable<paths['/api/v1/orders']['get']['parameters']['query']>;
export type OrderStep = 'pay' | 'ship' | 'deliver' | 'cancel';

export const PAGE_SIZE = 20;

export const orderKeys = {
  all: ['orders'] as const,
  lists: () => [...orderKeys.all, 'list'] as const,
  list: (query: OrderListQuery) => [...orderKeys.lists(), query] as const,
  detail: (id: string) => [...orderKeys.all, 'detail', id] as const,
};

export function useOrders(query: OrderListQuery) {
  return useQuery({
    queryKey: orderKeys.list(query),
    queryFn: async () => unwrap(await api.GET('/api/v1/orders', { params: { query } })),
    // The current page stays on screen while the next one loads.
    placeholderData: keepPreviousData,
  });
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: orderKeys.detail(id),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/orders/{order_id}', { params: { path: { order_id: id } } })),
  });
}

async function postStep(id: string, step: OrderStep): Promise<Order> {
  const params = { params: { path: { order_id: id } } };
  switch (step) {
    case 'pay':
      return unwrap(await api.POST('/api/v1/orders/{order_id}/pay', params));
    case 'ship':
      return unwrap(await api.POST('/api/v1/orders/{order_id}/ship', params));
    case 'deliver':
      return unwrap(await api.POST('/api/v1/orders/{order_id}/deliver', params));
    case 'cancel':
      return unwrap(await api.POST('/api/v1/orders/{order_id}/cancel', params));
  }
}

/** Moves an order on (staff) or cancels it (its owner or staff). */
export function useOrderStep(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (step: OrderStep) => postStep(id, step),
    onSuccess: (order) => {
      queryClient.setQueryData(orderKeys.detail(id), order);
      // Cancelling and shipping move stock too: every other cached view (lists, stock,
      // availability) is stale; the order itself is fresh.
      return queryClient.invalidateQueries({
        predicate: (query) => query.queryKey.join('/') !== orderKeys.detail(id).join('/'),
      });
    },
    // Refused (another tab or colleague moved it meanwhile): show the order as it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: orderKeys.detail(id) }),
  });
}
