// The lists keep their page and filters in the URL: shareable, and back/forward work.
import type { OrderStatus } from './api';
import { STATUSES } from './status';

export function pageParam(params: URLSearchParams): number {
  const page = Number(params.get('page'));
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** `params` with `page` set; page 1 is the list's plain address. */
export function withPage(params: URLSearchParams, page: number): URLSearchParams {
  const next = new URLSearchParams(params);
  if (page > 1) next.set('page', String(page));
  else next.delete('page');
  return next;
}

export function statusParam(params: URLSearchParams): OrderStatus | undefined {
  const status = params.get('status');
  return STATUSES.find((known) => known === status);
}

/** A date of an `<input type="date">` (YYYY-MM-DD), else nothing. */
export function dateParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}
