import { screen } from '@testing-library/react';
import { StrictMode } from 'react';

import { renderRoutes } from '@/test/backend';

import { authRoutes } from '../routes';

describe('VerifyEmailPage', () => {
  it('shows the API error for a bad link and offers a new one', async () => {
    // StrictMode runs effects twice: the token must still be sent once.
    renderRoutes(authRoutes, '/verify-email?token=not-a-real-token', { wrapper: StrictMode });
    expect(await screen.findByRole('alert')).toHaveTextContent('The confirmation link is invalid or has expired.');
    expect(screen.getByRole('button', { name: 'Send a new link' })).toBeInTheDocument();
    expect(screen.getByLabelText('E-mail')).toBeInTheDocument();
  });

  it('says so when the link is incomplete', async () => {
    renderRoutes(authRoutes, '/verify-email');
    expect(await screen.findByRole('alert')).toHaveTextContent(/link is incomplete/);
  });
});
