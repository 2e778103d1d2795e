import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';

import type { Schemas } from '@/api/client';

export interface CatalogSlots {
  /** What the product page shows to buy the product (the cart feature's button). */
  Purchase: ComponentType<{ product: Schemas['ProductOut'] }>;
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function catalogRoutes(_slots: CatalogSlots): RouteObject[] {
  return [];
}
