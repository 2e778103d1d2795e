import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';

import { api } from '@/api/client';
import { accounts, Providers, signIn, testQueryClient } from '@/test/backend';

import { useAuth } from './auth';
import { unwrap } from './errors';
import { getCartToken, getTokens, setTokens } from './session';

let client = testQueryClient();
beforeEach(() => {
  client = testQueryClient();
});

function wrapper({ children }: { children: ReactNode }) {
  return <Providers client={client}>{children}</Providers>;
}

async function firstProductId(): Promise<string> {
  const page = unwrap(await api.GET('/api/v1/products', { params: { query: { in_stock: true, size: 1 } } }));
  return page.items[0].id;
}

describe('useAuth against the API', () => {
  it('knows nobody without tokens', async () => {
    const { result } = renderHook(() => useAuth(), { wrapper });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.user).toBeNull();
  });

  it('logs in, merges the guest cart, and logs out', async () => {
    const productId = await firstProductId();
    // A guest fills a cart: the API hands out its token, which the session keeps.
    unwrap(await api.POST('/api/v1/cart/items', { body: { product_id: productId, quantity: 1 } }));
    expect(getCartToken()).toBeTruthy();

    const { result } = renderHook(() => useAuth(), { wrapper });
    await waitFor(() => expect(result.current.loading).toBe(false));
    await act(() => result.current.login(accounts.email('customer'), accounts.password));
    await waitFor(() => expect(result.current.user?.email).toBe(accounts.email('customer')));
    expect(result.current.isStaff).toBe(false);
    expect(getCartToken()).toBeNull();
    const cart = unwrap(await api.GET('/api/v1/cart'));
    expect(cart.items.some((line) => line.product_id === productId)).toBe(true);
    unwrap(await api.DELETE('/api/v1/cart'));

    await act(() => result.current.logout());
    await waitFor(() => expect(result.current.user).toBeNull());
    expect(getTokens()).toBeNull();
  });

  it('refreshes an expired access token once and carries on', async () => {
    const tokens = await signIn('operator');
    setTokens({ ...tokens, access_token: 'expired.or.forged' });
    const { result } = renderHook(() => useAuth(), { wrapper });
    await waitFor(() => expect(result.current.user?.email).toBe(accounts.email('operator')));
    expect(result.current.isStaff).toBe(true);
    expect(getTokens()?.refresh_token).not.toBe(tokens.refresh_token);
  });

  it('shows the API error for wrong credentials', async () => {
    const { result } = renderHook(() => useAuth(), { wrapper });
    await waitFor(() => expect(result.current.loading).toBe(false));
    await expect(result.current.login(accounts.email('customer'), 'wrong-password')).rejects.toThrow(
      /incorrect|invalid/i,
    );
    expect(getTokens()).toBeNull();
  });
});
