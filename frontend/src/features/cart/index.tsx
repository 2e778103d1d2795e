import type { RouteObject } from 'react-router';

import { CartPage } from './pages/CartPage';
import { CheckoutPage } from './pages/CheckoutPage';

export { AddToCart } from './components/AddToCart';
export { CartLink } from './components/CartLink';

export const cartRoutes: RouteObject[] = [
  { path: '/cart', element: <CartPage /> },
  { path: '/checkout', element: <CheckoutPage /> },
];
