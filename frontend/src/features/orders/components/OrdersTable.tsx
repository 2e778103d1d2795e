import { Link } from 'react-router';

import { Price } from '@/components/Price';
import { formatDateTime } from '@/lib/format';

import type { Order } from '../api';
import styles from '../orders.module.css';
import { StatusBadge } from './StatusBadge';

/** One row per order, each linking to its page; staff also see who ordered. */
export function OrdersTable({
  orders,
  orderLink,
  showCustomer = false,
}: {
  orders: Order[];
  orderLink(order: Order): string;
  showCustomer?: boolean;
}) {
  return (
    // Focusable, so that keyboard users can scroll it sideways on a phone.
    <div className="table-wrap" role="region" aria-label="Orders" tabIndex={0}>
      <table>
        <caption className="visually-hidden">Orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Date</th>
            {showCustomer && <th scope="col">Customer</th>}
            <th scope="col">Status</th>
            <th scope="col" className="number">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <th scope="row">
                <Link to={orderLink(order)} className={styles.nowrap}>
                  {order.number}
                </Link>
              </th>
              <td className={styles.nowrap}>{formatDateTime(order.created_at)}</td>
              {showCustomer && <td>{order.contact.email}</td>}
              <td>
                <StatusBadge status={order.status} />
              </td>
              <td className="number">
                <Price amount={order.total} currency={order.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
