import styles from './Availability.module.css';

/** At or below this, the shopper is told how many are left. */
export const LOW_STOCK = 5;

export function availabilityText(available: number): string {
  if (available <= 0) return 'Out of stock';
  if (available <= LOW_STOCK) return `Only ${available} left`;
  return 'In stock';
}

export function Availability({ available }: { available: number }) {
  const level = available <= 0 ? styles.out : available <= LOW_STOCK ? styles.low : styles.in;
  return <span className={`${styles.availability} ${level}`}>{availabilityText(available)}</span>;
}
