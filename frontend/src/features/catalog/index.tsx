import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';

import type { Schemas } from '@/api/client';

import { CatalogPage } from './pages/CatalogPage';
import { ProductPage } from './pages/ProductPage';

export interface CatalogSlots {
  /** What the product page shows to buy the product (the cart feature's button). */
  Purchase: ComponentType<{ product: Schemas['ProductOut'] }>;
}

export function catalogRoutes(slots: CatalogSlots): RouteObject[] {
  return [
    { index: true, element: <CatalogPage /> },
    { path: '/products/:ref', element: <ProductPage Purchase={slots.Purchase} /> },
  ];
}
