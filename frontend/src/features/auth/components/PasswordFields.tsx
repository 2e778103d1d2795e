import { TextField } from '@/components/Field';

// The policy of backend/app/accounts/passwords.py.
const PASSWORD_HINT = 'Between 8 and 128 characters, and not one of the commonly used passwords.';

/** A password being chosen, with the API's rules as its hint (and checked by the browser). */
export function NewPasswordField({ label, name, error }: { label: string; name: string; error?: string }) {
  return (
    <TextField
      label={label}
      name={name}
      type="password"
      autoComplete="new-password"
      required
      minLength={8}
      maxLength={128}
      hint={PASSWORD_HINT}
      error={error}
    />
  );
}

/** The password the account has now, asked before a change that needs it. */
export function CurrentPasswordField({ label = 'Current password', error }: { label?: string; error?: string }) {
  return (
    <TextField
      label={label}
      name="current_password"
      type="password"
      autoComplete="current-password"
      required
      error={error}
    />
  );
}
