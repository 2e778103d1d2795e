// Every page, by feature. Features never import each other; where a page shows another
// feature's part (the product page's "add to cart"), it is handed in here.
import { createBrowserRouter, type RouteObject } from 'react-router';

import { authRoutes } from '@/features/auth';
import { AddToCart, CartLink, cartRoutes } from '@/features/cart';
import { catalogRoutes } from '@/features/catalog';
import { inventoryRoutes } from '@/features/inventory';
import { orderRoutes } from '@/features/orders';

import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';

export const routes: RouteObject[] = [
  {
    element: <Layout cartLink={<CartLink />} />,
    children: [
      ...catalogRoutes({ Purchase: AddToCart }),
      ...cartRoutes,
      ...orderRoutes,
      ...authRoutes,
      ...inventoryRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
