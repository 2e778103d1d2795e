import type { ButtonHTMLAttributes } from 'react';

/** Disabled, and saying so, while its request is on the way. */
export function SubmitButton({
  pending,
  pendingLabel,
  children,
  className = 'button primary',
  ...button
}: ButtonHTMLAttributes<HTMLButtonElement> & { pending: boolean; pendingLabel?: string }) {
  return (
    <button
      type="submit"
      {...button}
      className={className}
      disabled={pending || button.disabled}
      aria-busy={pending || undefined}
    >
      {pending ? (pendingLabel ?? 'Sending…') : children}
    </button>
  );
}
