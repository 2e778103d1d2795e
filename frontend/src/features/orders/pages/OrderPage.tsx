import { Link, useParams, useSearchParams } from 'react-router';

import { ErrorNote, Loading, SuccessNote } from '@/components/Feedback';
import { formatDateTime } from '@/lib/format';
import { usePageTitle } from '@/lib/usePageTitle';

import { useOrder } from '../api';
import { OrderActions } from '../components/OrderActions';
import { OrderDetails } from '../components/OrderDetails';
import { StatusBadge } from '../components/StatusBadge';
import styles from '../orders.module.css';

/**
 * One order: for its owner at /orders/:id (the link of our e-mails; `?placed=1` right after
 * checkout), for staff at /backoffice/orders/:id with the status steps.
 */
export function OrderPage({ staff = false }: { staff?: boolean }) {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const order = useOrder(id);
  usePageTitle(order.data ? `Order ${order.data.number}` : 'Order');
  const back = staff ? { to: '/backoffice/orders', label: 'Back to all orders' } : { to: '/orders', label: 'Back to my orders' };

  if (order.isPending) return <Loading label="Loading the order…" />;
  if (order.isError) {
    return (
      <div className={styles.page}>
        <h1>Order</h1>
        <ErrorNote error={order.error} />
        <p>
          <Link to={back.to}>{back.label}</Link>
        </p>
      </div>
    );
  }

  const { data } = order;
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1>Order {data.number}</h1>
        <p className={styles.meta}>
          <span>
            Status: <StatusBadge status={data.status} />
          </span>
          <span>Placed {formatDateTime(data.created_at)}</span>
          {staff && <span>Customer: {data.contact.email}</span>}
        </p>
      </header>
      {!staff && params.get('placed') === '1' && (
        <SuccessNote>
          Thank you! Your order {data.number} is placed. A confirmation e-mail is on its way to {data.contact.email}.
        </SuccessNote>
      )}
      <OrderActions order={data} staff={staff} />
      <OrderDetails order={data} />
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </div>
  );
}
