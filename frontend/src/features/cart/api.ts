// The cart (a guest's or the signed-in user's: the session sends the right credentials),
// its changes, the profile's default address and placing the order.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, type Schemas } from '@/api/client';
import { useAuth } from '@/lib/auth';
import { unwrap } from '@/lib/errors';

type Cart = Schemas['CartOut'];

/** One key for the cart: the header's link, "add to cart" and the pages share it. */
const CART_QUERY_KEY = ['cart'] as const;
const PROFILE_QUERY_KEY = ['profile'] as const;

/**
 * The cart's key in this session. Signing in or out (here or in another tab) means another cart:
 * another key, fetched afresh, also by the header's link, which its parent never re-renders.
 */
function useCartKey() {
  const { user, loading } = useAuth();
  return { queryKey: [...CART_QUERY_KEY, user?.id ?? 'guest'], ready: !loading };
}

export function useCart() {
  const { queryKey, ready } = useCartKey();
  return useQuery({
    queryKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/cart')),
    enabled: ready,
  });
}

/** Every change answers with the whole cart: it replaces the cached one. */
function useCartMutation<Variables>(change: (variables: Variables) => Promise<Cart>) {
  const queryClient = useQueryClient();
  const { queryKey } = useCartKey();
  return useMutation({
    mutationFn: change,
    onSuccess: (cart) => queryClient.setQueryData(queryKey, cart),
  });
}

export function useAddToCart() {
  return useCartMutation(async (item: Schemas['CartItemIn']) =>
    unwrap(await api.POST('/api/v1/cart/items', { body: item })),
  );
}

export function useUpdateCartLine() {
  return useCartMutation(async ({ itemId, quantity }: { itemId: string; quantity: number }) =>
    unwrap(
      await api.PATCH('/api/v1/cart/items/{item_id}', {
        params: { path: { item_id: itemId } },
        body: { quantity },
      }),
    ),
  );
}

export function useRemoveCartLine() {
  return useCartMutation(async (itemId: string) =>
    unwrap(await api.DELETE('/api/v1/cart/items/{item_id}', { params: { path: { item_id: itemId } } })),
  );
}

export function useProfile() {
  return useQuery({
    queryKey: PROFILE_QUERY_KEY,
    queryFn: async () => unwrap(await api.GET('/api/v1/users/me/profile')),
  });
}

/** `onPlaced` runs first, from the mutation itself: the form that placed the order unmounts
 * as soon as the refetched cart comes back empty, and its own callbacks would be dropped. */
export function usePlaceOrder(onPlaced: (order: Schemas['OrderOut']) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ order, idempotencyKey }: { order: Schemas['CheckoutIn']; idempotencyKey: string }) =>
      unwrap(
        await api.POST('/api/v1/orders', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: order,
        }),
      ),
    onSuccess: (order) => {
      onPlaced(order);
      // The order emptied the cart, took stock and joined the order list: all of it is stale.
      void queryClient.invalidateQueries();
    },
  });
}

/** How many units the cart holds (the header's count). */
export function unitCount(cart: Cart): number {
  return cart.items.reduce((sum, line) => sum + line.quantity, 0);
}
