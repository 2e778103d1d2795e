import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { useAuth } from '@/lib/auth';

import { EmptyState, Loading } from './Feedback';

/** Signed-in users only; others go to the login page and come back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return children;
}

/** Operators and admins only. */
export function RequireStaff({ children }: { children: ReactNode }) {
  const { isStaff, user } = useAuth();
  return (
    <RequireAuth>
      {isStaff ? (
        children
      ) : (
        <EmptyState title="This page is for the shop's staff.">
          <p>You are signed in as {user?.email}.</p>
        </EmptyState>
      )}
    </RequireAuth>
  );
}
