// The browser's side of a session: the token pair of a signed-in user and the token of a
// guest's cart, both kept in localStorage, and the fetch every API call goes through.
//
// authenticatedFetch adds `Authorization` and `X-Cart-Token`, keeps a guest cart token the
// API hands out, and when an access token has expired (401) refreshes the pair once, for all
// requests waiting on it, and retries. A refused refresh ends the session.
import { readItem, writeItem } from './storage';

const TOKENS_KEY = 'onlineshop.tokens';
const CART_TOKEN_KEY = 'onlineshop.cart-token';
export const CART_TOKEN_HEADER = 'X-Cart-Token';

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

type Listener = () => void;
const listeners = new Set<Listener>();

/** Called whenever the session's tokens change (login, refresh, logout, refused refresh). */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getTokens(): Tokens | null {
  const raw = readItem(TOKENS_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Tokens>;
    return parsed.access_token && parsed.refresh_token
      ? { access_token: parsed.access_token, refresh_token: parsed.refresh_token }
      : null;
  } catch {
    return null;
  }
}

export function setTokens(tokens: Tokens | null): void {
  writeItem(
    TOKENS_KEY,
    tokens &&
      JSON.stringify({ access_token: tokens.access_token, refresh_token: tokens.refresh_token }),
  );
  listeners.forEach((listener) => listener());
}

export function getCartToken(): string | null {
  return readItem(CART_TOKEN_KEY);
}

export function setCartToken(token: string | null): void {
  writeItem(CART_TOKEN_KEY, token);
}

// A 401 from these means wrong credentials, not an expired access token.
const NO_RETRY = /\/auth\/(login|refresh)$/;

let refreshing: Promise<Tokens | null> | null = null;

async function refreshTokens(refreshToken: string): Promise<Tokens | null> {
  const response = await fetch(new URL('/api/v1/auth/refresh', globalThis.location.origin), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  if (!response.ok) return null;
  return (await response.json()) as Tokens;
}

/** One refresh at a time: parallel 401s share it (a refresh token works only once). */
function refreshOnce(refreshToken: string): Promise<Tokens | null> {
  refreshing ??= refreshTokens(refreshToken)
    .catch(() => null)
    .then((tokens) => {
      // A 5xx or network failure also ends up here: signing out then is the safe side.
      setTokens(tokens);
      return tokens;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function withCredentials(request: Request, tokens: Tokens | null): Request {
  const headers = new Headers(request.headers);
  if (tokens) headers.set('Authorization', `Bearer ${tokens.access_token}`);
  const cartToken = getCartToken();
  if (cartToken && !headers.has(CART_TOKEN_HEADER) && !tokens) {
    headers.set(CART_TOKEN_HEADER, cartToken);
  }
  return new Request(request, { headers });
}

export async function authenticatedFetch(input: Request): Promise<Response> {
  const tokens = getTokens();
  const retry = input.clone();
  let response = await fetch(withCredentials(input, tokens));
  if (response.status === 401 && tokens && !NO_RETRY.test(new URL(input.url).pathname)) {
    const fresh =
      getTokens()?.access_token !== tokens.access_token
        ? getTokens() // another request refreshed meanwhile
        : await refreshOnce(tokens.refresh_token);
    if (fresh) response = await fetch(withCredentials(retry, fresh));
  }
  const issued = response.headers.get(CART_TOKEN_HEADER);
  if (issued && !getTokens()) setCartToken(issued);
  return response;
}
