// Who is signed in, for every page: the current user (GET /users/me), login, logout.
// Login merges the guest's cart into the user's and forgets the guest token.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';

import { api, type Schemas } from '@/api/client';

import { unwrap } from './errors';
import { CART_TOKEN_HEADER, getCartToken, getTokens, onSessionChange, setCartToken, setTokens } from './session';

export type CurrentUser = Schemas['MeOut'];

export const STAFF_ROLES: ReadonlySet<string> = new Set(['operator', 'admin']);

export const ME_QUERY_KEY = ['me'] as const;

interface AuthState {
  user: CurrentUser | null;
  /** True until we know whether the stored tokens still sign someone in. */
  loading: boolean;
  isStaff: boolean;
  login(email: string, password: string): Promise<CurrentUser>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

async function fetchMe(): Promise<CurrentUser | null> {
  if (!getTokens()) return null;
  const result = await api.GET('/api/v1/users/me');
  if (result.response.status === 401) {
    setTokens(null);
    return null;
  }
  return unwrap(result);
}

/** The guest cart's lines join the user's cart; the guest token is then spent. */
async function mergeGuestCart(): Promise<void> {
  const token = getCartToken();
  if (!token) return;
  const result = await api.POST('/api/v1/cart/merge', {
    params: { header: { [CART_TOKEN_HEADER]: token } },
  });
  // 404: the guest cart is gone (expired or merged in another tab); either way it is spent.
  if (result.response.ok || result.response.status === 404) setCartToken(null);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({ queryKey: ME_QUERY_KEY, queryFn: fetchMe, staleTime: 60_000 });

  useEffect(
    () =>
      // Another tab signed in or out, or a refresh was refused: everything user-specific
      // must be fetched again.
      onSessionChange(() => {
        if (!getTokens()) queryClient.setQueryData(ME_QUERY_KEY, null);
      }),
    [queryClient],
  );

  const login = useCallback(
    async (email: string, password: string) => {
      const tokens = unwrap(
        await api.POST('/api/v1/auth/login', {
          body: { username: email, password, scope: '' },
          // OAuth2's password flow: a form, not JSON.
          bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
      );
      setTokens(tokens);
      await mergeGuestCart();
      const user = unwrap(await api.GET('/api/v1/users/me'));
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(ME_QUERY_KEY, user);
      return user;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    const tokens = getTokens();
    if (tokens) {
      // Revokes the refresh token server-side; signed out locally whatever the answer.
      await api
        .POST('/api/v1/auth/logout', { body: { refresh_token: tokens.refresh_token } })
        .catch(() => undefined);
    }
    setTokens(null);
    queryClient.clear();
    queryClient.setQueryData(ME_QUERY_KEY, null);
  }, [queryClient]);

  const value = useMemo<AuthState>(() => {
    const user = me.data ?? null;
    return {
      user,
      loading: me.isPending,
      isStaff: user !== null && STAFF_ROLES.has(user.role),
      login,
      logout,
    };
  }, [me.data, me.isPending, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth must be used inside <AuthProvider>');
  return state;
}
