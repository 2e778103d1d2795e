import type { Schemas } from '@/api/client';
import type { RouteObject } from 'react-router';

export const cartRoutes: RouteObject[] = [];
export function CartLink() {
  return null;
}
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function AddToCart(_props: { product: Schemas['ProductOut'] }) {
  return null;
}
