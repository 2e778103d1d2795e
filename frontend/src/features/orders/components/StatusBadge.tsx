import type { OrderStatus } from '../api';
import { STATUS_LABELS } from '../status';
import styles from '../orders.module.css';

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge ${styles[status]}`}>{STATUS_LABELS[status]}</span>;
}
