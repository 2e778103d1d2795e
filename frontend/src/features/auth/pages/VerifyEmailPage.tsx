import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';

import { ErrorNote, Loading, SuccessNote } from '@/components/Feedback';
import { useAuth } from '@/lib/auth';
import { ApiError } from '@/lib/errors';
import { usePageTitle } from '@/lib/usePageTitle';

import { useConfirmEmail } from '../api';
import { ResendConfirmation } from '../components/ResendConfirmation';
import styles from '../auth.module.css';

/** The link of our confirmation e-mails (a new account, or a change of address). */
export function VerifyEmailPage() {
  usePageTitle('Confirm your e-mail address');
  const [params] = useSearchParams();
  const token = params.get('token');
  const { user } = useAuth();
  const confirm = useConfirmEmail();
  const { mutate } = confirm;

  // A token works once: StrictMode's second effect run (and re-renders) must not send it again.
  const sentToken = useRef<string | null>(null);
  useEffect(() => {
    if (token && sentToken.current !== token) {
      sentToken.current = token;
      mutate(token);
    }
  }, [token, mutate]);

  const alreadyConfirmed = confirm.error instanceof ApiError && confirm.error.code === 'already_verified';

  return (
    <div className={`${styles.page} ${styles.stack}`}>
      <h1>Confirm your e-mail address</h1>
      {!token ? (
        <p className="error-note" role="alert">
          This link is incomplete. Open the link from our e-mail again, or ask for a new one below.
        </p>
      ) : confirm.isSuccess ? (
        <>
          <SuccessNote>Your e-mail address is confirmed. You log in with {confirm.data.email}.</SuccessNote>
          <p>{user ? <Link to="/">Continue shopping</Link> : <Link to="/login">Log in</Link>}</p>
        </>
      ) : confirm.isError ? (
        <ErrorNote error={confirm.error} />
      ) : (
        <Loading label="Confirming your e-mail address…" />
      )}
      {alreadyConfirmed && !user && (
        <p>
          <Link to="/login">Log in</Link>
        </p>
      )}
      {(!token || (confirm.isError && !alreadyConfirmed)) && (
        <section className={styles.section} aria-labelledby="new-link">
          <h2 id="new-link">Get a new link</h2>
          <p className={styles.muted}>
            Enter the address you registered with and we will send a new confirmation link. Were
            you changing your address? Then ask for the change again on{' '}
            <Link to="/account">your account page</Link>.
          </p>
          <ResendConfirmation label="Send a new link" />
        </section>
      )}
    </div>
  );
}
