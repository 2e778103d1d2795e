import styles from '../inventory.module.css';
import type { LiveStatus } from '../useLiveStock';

const WORDS: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  retrying: 'Disconnected — retrying',
  forbidden: 'Not allowed to watch this warehouse',
  'unknown-store': 'Unknown warehouse',
};

/** How the live stock feed is: announced politely when it changes. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <p className={styles.live} data-status={status} aria-live="polite" aria-atomic="true">
      <span className={styles.dot} aria-hidden="true" />
      <span className="visually-hidden">Stock updates: </span>
      <span>{WORDS[status]}</span>
    </p>
  );
}
