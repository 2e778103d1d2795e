import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { registerAccount, renderRoutes, uniqueEmail } from '@/test/backend';

import { authRoutes } from '../routes';

describe('ForgotPasswordPage', () => {
  it.each([
    // (The seeded accounts' .test domain is refused by the API's e-mail validation.)
    ['a registered address', () => registerAccount()],
    ['an unknown address', async () => uniqueEmail('nobody')],
  ])('gives the same neutral answer for %s', async (_, email) => {
    const user = userEvent.setup();
    const address = await email();
    renderRoutes(authRoutes, '/forgot-password');
    await user.type(screen.getByLabelText('E-mail'), address);
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'If that address has an account, a password reset link is on its way.',
    );
  });
});

describe('ResetPasswordPage', () => {
  async function fill(newPassword: string, confirmation: string) {
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('New password'), newPassword);
    await user.type(screen.getByLabelText('Confirm password'), confirmation);
    await user.click(screen.getByRole('button', { name: 'Set new password' }));
  }

  it('checks that both passwords match before asking the API', async () => {
    renderRoutes(authRoutes, '/reset-password?token=whatever');
    await fill('plum-violin-harbour-42', 'plum-violin-harbour-43');
    expect(await screen.findByText('The passwords do not match.')).toBeInTheDocument();
    expect(screen.getByLabelText('Confirm password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the API error for a used or forged link', async () => {
    renderRoutes(authRoutes, '/reset-password?token=not-a-real-token');
    await fill('plum-violin-harbour-42', 'plum-violin-harbour-42');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The password reset link is invalid, expired or already used.',
    );
    expect(screen.getByRole('link', { name: 'Request a new link' })).toHaveAttribute('href', '/forgot-password');
  });
});
