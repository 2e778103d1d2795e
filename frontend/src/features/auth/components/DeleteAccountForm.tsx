import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { ErrorNote } from '@/components/Feedback';
import { SubmitButton } from '@/components/SubmitButton';
import { useAuth } from '@/lib/auth';

import { useDeleteAccount } from '../api';
import { formText, splitErrors } from '../forms';
import styles from '../auth.module.css';
import { CurrentPasswordField } from './PasswordFields';

export function DeleteAccountForm() {
  const { logout } = useAuth();
  const navigate = useNavigate();
  const remove = useDeleteAccount();
  const { fields, rest } = splitErrors(remove.error, ['current_password'], {
    wrong_password: 'current_password',
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    remove.mutate(
      { current_password: formText(event.currentTarget, 'current_password') },
      {
        // The API revoked every session already; this forgets the tokens here.
        onSuccess: async () => {
          await logout();
          navigate('/', { replace: true });
        },
      },
    );
  }

  return (
    <form className="form" onSubmit={submit} aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete account</h2>
      <p className={styles.muted}>
        Your account is closed for good and your name, phone and addresses are erased. Orders you
        placed stay on record. This cannot be undone.
      </p>
      <CurrentPasswordField label="Confirm with your password" error={fields.current_password} />
      <ErrorNote error={rest} />
      <div>
        <SubmitButton pending={remove.isPending} pendingLabel="Deleting…" className="button danger">
          Delete my account
        </SubmitButton>
      </div>
    </form>
  );
}
