import { Link } from 'react-router';

import { useAuth } from '@/lib/auth';
import { usePageTitle } from '@/lib/usePageTitle';

import { ChangeEmailForm } from '../components/ChangeEmailForm';
import { DeleteAccountForm } from '../components/DeleteAccountForm';
import { ProfileForm } from '../components/ProfileForm';
import { ResendConfirmation } from '../components/ResendConfirmation';
import styles from '../auth.module.css';

const ROLE_NAMES: Record<string, string> = {
  customer: 'Customer',
  operator: 'Operator (staff)',
  admin: 'Administrator (staff)',
};

/** Behind RequireAuth: there is always a user here. */
export function AccountPage() {
  usePageTitle('Your account');
  const { user } = useAuth();
  if (!user) return null;

  return (
    <div className={styles.accountPage}>
      <h1>Your account</h1>
      <section className={`card ${styles.section}`} aria-label="Account">
        <dl className="facts">
          <dt>E-mail</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{ROLE_NAMES[user.role] ?? user.role}</dd>
          <dt>Status</dt>
          <dd>{user.is_verified ? 'E-mail address confirmed' : 'E-mail address not confirmed yet'}</dd>
        </dl>
        {!user.is_verified && (
          <>
            <p className={styles.muted}>
              Follow the link in the e-mail we sent you: you need a confirmed address to place orders.
            </p>
            <ResendConfirmation email={user.email} label="Send the confirmation e-mail again" />
          </>
        )}
      </section>
      <section className="card">
        {/* Uncontrolled fields: keyed by account, so another login starts from its own profile. */}
        <ProfileForm key={user.id} profile={user.profile} />
      </section>
      <section className="card">
        <ChangeEmailForm currentEmail={user.email} />
      </section>
      <section className={`card ${styles.section}`} aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <p className={styles.links}>
          <Link to="/account/password">Change password</Link>
        </p>
      </section>
      <section className={`card ${styles.danger}`}>
        <DeleteAccountForm />
      </section>
    </div>
  );
}
