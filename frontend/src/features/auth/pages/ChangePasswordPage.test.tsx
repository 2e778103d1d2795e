import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { getTokens } from '@/lib/session';
import { canLogIn, NEW_PASSWORD, registerAccount, renderRoutes, signInAs } from '@/test/backend';

import { authRoutes } from '../routes';

describe('ChangePasswordPage', () => {
  it('changes the password and keeps this session with the new tokens', async () => {
    // An account of this test's own: the seeded passwords are shared with other files.
    const email = await registerAccount();
    await signInAs(email);
    const before = getTokens();
    const user = userEvent.setup();
    renderRoutes(authRoutes, '/account/password');
    expect(await screen.findByRole('heading', { level: 1, name: 'Change password' })).toBeInTheDocument();

    await user.type(screen.getByLabelText('Current password'), 'not-my-password');
    await user.type(screen.getByLabelText('New password'), 'quince-oboe-lantern-7');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('The current password is not correct.')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Current password'));
    await user.type(screen.getByLabelText('Current password'), NEW_PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Your password is changed/)).toBeInTheDocument();

    // The new pair is stored and works; the old access token is void.
    expect(getTokens()?.access_token).not.toBe(before?.access_token);
    expect(unwrap(await api.GET('/api/v1/users/me')).email).toBe(email);
    expect(await canLogIn(email, 'quince-oboe-lantern-7')).toBe(true);
    expect(await canLogIn(email, NEW_PASSWORD)).toBe(false);
  });

  it('shows a weak new password at its field', async () => {
    const email = await registerAccount();
    await signInAs(email);
    const user = userEvent.setup();
    renderRoutes(authRoutes, '/account/password');
    await user.type(await screen.findByLabelText('Current password'), NEW_PASSWORD);
    await user.type(screen.getByLabelText('New password'), 'password123');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/too common/)).toBeInTheDocument();
    expect(screen.getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true');
  });
});
