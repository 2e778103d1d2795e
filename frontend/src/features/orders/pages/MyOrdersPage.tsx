import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorNote, Loading } from '@/components/Feedback';
import { Pagination } from '@/components/Pagination';
import { useAuth } from '@/lib/auth';
import { usePageTitle } from '@/lib/usePageTitle';

import { PAGE_SIZE, useOrders } from '../api';
import { OrdersTable } from '../components/OrdersTable';
import { pageParam, withPage } from '../urlParams';
import styles from '../orders.module.css';

export function MyOrdersPage() {
  usePageTitle('My orders');
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const page = pageParam(params);
  // Staff would get every order without user_id; customers get their own either way.
  const orders = useOrders({ user_id: user?.id, page, size: PAGE_SIZE });

  return (
    <div className={styles.page}>
      <h1>My orders</h1>
      {orders.isPending ? (
        <Loading label="Loading your orders…" />
      ) : orders.isError ? (
        <ErrorNote error={orders.error} />
      ) : orders.data.total === 0 ? (
        <EmptyState title="You have not ordered anything yet.">
          <Link to="/">Browse the shop</Link>
        </EmptyState>
      ) : orders.data.items.length === 0 ? (
        <EmptyState title="There are no orders on this page.">
          <Link to="/orders">Go to the first page</Link>
        </EmptyState>
      ) : (
        <div aria-busy={orders.isPlaceholderData || undefined}>
          <OrdersTable orders={orders.data.items} orderLink={(order) => `/orders/${order.id}`} />
          <Pagination
            page={page}
            size={PAGE_SIZE}
            total={orders.data.total}
            onPage={(next) => setParams(withPage(params, next))}
          />
        </div>
      )}
    </div>
  );
}
