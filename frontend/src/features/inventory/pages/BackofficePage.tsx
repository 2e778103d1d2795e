import { Link } from 'react-router';

import { usePageTitle } from '@/lib/usePageTitle';

import styles from '../inventory.module.css';

const SECTIONS = [
  {
    to: '/backoffice/warehouses',
    title: 'Warehouses',
    text: 'Live stock by warehouse; supplies, demands, counts, transfers and reports.',
  },
  {
    to: '/backoffice/movements',
    title: 'Stock movements',
    text: 'The journal of every stock change: who, when, and for which order.',
  },
  { to: '/backoffice/orders', title: 'Orders', text: 'Every order, its payment and its delivery.' },
];

export function BackofficePage() {
  usePageTitle('Back-office');
  return (
    <>
      <h1>Back-office</h1>
      <nav aria-label="Back-office">
        <ul className={styles.sections}>
          {SECTIONS.map((section) => (
            <li key={section.to} className="card">
              <Link to={section.to}>{section.title}</Link>
              <p>{section.text}</p>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
