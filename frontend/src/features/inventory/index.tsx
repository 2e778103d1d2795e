// The warehouse back-office: staff-only pages under /backoffice.
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';

import { RequireStaff } from '@/components/Guards';

import { BackofficePage } from './pages/BackofficePage';
import { MovementsPage } from './pages/MovementsPage';
import { WarehouseRoute } from './pages/WarehousePage';
import { WarehousesPage } from './pages/WarehousesPage';

function staffOnly(page: ReactNode): ReactNode {
  return <RequireStaff>{page}</RequireStaff>;
}

export const inventoryRoutes: RouteObject[] = [
  { path: '/backoffice', element: staffOnly(<BackofficePage />) },
  { path: '/backoffice/warehouses', element: staffOnly(<WarehousesPage />) },
  { path: '/backoffice/warehouses/:code', element: staffOnly(<WarehouseRoute />) },
  { path: '/backoffice/movements', element: staffOnly(<MovementsPage />) },
];
