// The real API the tests talk to, and the seeded accounts (tests/frontend/seed.py): set by
// tests/frontend/test_vitest.py, or by hand with API_URL and SHOP_* for `npm test`.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';

import { AuthProvider } from '@/lib/auth';
import { setCartToken, setTokens, type Tokens } from '@/lib/session';

export type Role = 'customer' | 'operator' | 'admin';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with \`make test\` (or see tests/frontend)`);
  }
  return value;
}

export const accounts = {
  email(role: Role): string {
    return required(`SHOP_${role.toUpperCase()}_EMAIL`);
  },
  get password(): string {
    return required('SHOP_PASSWORD');
  },
};

/** The password of the accounts tests register for themselves. */
export const NEW_PASSWORD = 'plum-violin-harbour-42';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

/** A new account of the test's own (unconfirmed, which logging in allows): for tests that
 * change passwords, delete accounts or need an empty history, never touching seeded ones. */
export async function registerAccount(password = NEW_PASSWORD, email = uniqueEmail()): Promise<string> {
  const response = await fetch(new URL('/api/v1/auth/register', location.origin), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`register ${email}: ${response.status} ${await response.text()}`);
  return email;
}

/** The API's answer to a login, without touching the test's session. */
function requestLogin(email: string, password: string): Promise<Response> {
  return fetch(new URL('/api/v1/auth/login', location.origin), {
    method: 'POST',
    body: new URLSearchParams({ username: email, password }),
  });
}

export async function canLogIn(email: string, password: string): Promise<boolean> {
  return (await requestLogin(email, password)).ok;
}

async function tokensOf(email: string, password: string): Promise<Tokens> {
  const response = await requestLogin(email, password);
  if (!response.ok) throw new Error(`login as ${email}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}

/** A token pair for a seeded account, straight from the API's login. */
export function loginTokens(role: Role): Promise<Tokens> {
  return tokensOf(accounts.email(role), accounts.password);
}

/** Start the test signed in as `role` (the session the app would have after login). */
export async function signIn(role: Role): Promise<Tokens> {
  const tokens = await loginTokens(role);
  setTokens(tokens);
  return tokens;
}

/** Start the test signed in as an account of its own. */
export async function signInAs(email: string, password = NEW_PASSWORD): Promise<void> {
  setTokens(await tokensOf(email, password));
}

export function signOut(): void {
  setTokens(null);
  setCartToken(null);
}

/** A fresh query client per test: nothing cached leaks from one test into the next. */
export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

export function Providers({ children, client }: { children: ReactNode; client?: QueryClient }) {
  return (
    <QueryClientProvider client={client ?? testQueryClient()}>
      <AuthProvider>{children}</AuthProvider>
    </QueryClientProvider>
  );
}

/** Render routes (a feature's own, usually) at `path`, with the app's providers. */
export function renderRoutes(routes: RouteObject[], path: string, options?: RenderOptions) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const client = testQueryClient();
  return {
    router,
    client,
    ...render(
      <Providers client={client}>
        <RouterProvider router={router} />
      </Providers>,
      options,
    ),
  };
}

export function renderWithProviders(ui: ReactElement, options?: RenderOptions) {
  const client = testQueryClient();
  return { client, ...render(<Providers client={client}>{ui}</Providers>, options) };
}
