import type { RouteObject } from 'react-router';

import { RequireAuth, RequireStaff } from '@/components/Guards';

import { BackofficeOrdersPage } from './pages/BackofficeOrdersPage';
import { MyOrdersPage } from './pages/MyOrdersPage';
import { OrderPage } from './pages/OrderPage';

export const orderRoutes: RouteObject[] = [
  {
    path: '/orders',
    element: (
      <RequireAuth>
        <MyOrdersPage />
      </RequireAuth>
    ),
  },
  {
    // The link of the order e-mails (backend/app/orders/emails.py); checkout adds ?placed=1.
    path: '/orders/:id',
    element: (
      <RequireAuth>
        <OrderPage />
      </RequireAuth>
    ),
  },
  {
    path: '/backoffice/orders',
    element: (
      <RequireStaff>
        <BackofficeOrdersPage />
      </RequireStaff>
    ),
  },
  {
    path: '/backoffice/orders/:id',
    element: (
      <RequireStaff>
        <OrderPage staff />
      </RequireStaff>
    ),
  },
];
