import { Link } from 'react-router';

import { EmptyState } from '@/components/Feedback';
import { usePageTitle } from '@/lib/usePageTitle';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <EmptyState title="This page does not exist.">
      <Link to="/">Back to the shop</Link>
    </EmptyState>
  );
}
