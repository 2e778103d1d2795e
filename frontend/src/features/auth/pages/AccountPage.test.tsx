import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { api } from '@/api/client';
import { unwrap } from '@/lib/errors';
import { getTokens } from '@/lib/session';
import { canLogIn, NEW_PASSWORD, registerAccount, renderRoutes, signInAs, uniqueEmail } from '@/test/backend';

import { authRoutes } from '../routes';

const routes = [...authRoutes, { path: '/', element: <h1>Home</h1> }];

// Each test has an account of its own: the seeded ones are shared with other test files.
let email: string;
beforeEach(async () => {
  email = await registerAccount();
  await signInAs(email);
});

describe('AccountPage', () => {
  it('shows the account and saves the profile (round trip through the API)', async () => {
    const user = userEvent.setup();
    renderRoutes(routes, '/account');
    expect(await screen.findByRole('heading', { level: 1, name: 'Your account' })).toBeInTheDocument();
    expect(screen.getByText(email)).toBeInTheDocument();
    expect(screen.getByText('Customer')).toBeInTheDocument();

    await user.type(screen.getByLabelText('First name'), 'Ada');
    await user.type(screen.getByLabelText('Last name'), 'Lovelace');
    await user.type(screen.getByLabelText('Phone'), '+49 30 123456');
    const address = within(screen.getByRole('group', { name: 'Default address' }));
    await user.type(address.getByLabelText('Full name'), 'Ada Lovelace');
    await user.type(address.getByLabelText('Address'), 'Analytical Street 1');
    await user.type(address.getByLabelText('City'), 'Berlin');
    await user.type(address.getByLabelText('Postal code'), '10115');
    await user.type(address.getByLabelText('Country'), 'de');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(await screen.findByText('Your profile is saved.')).toBeInTheDocument();

    const profile = unwrap(await api.GET('/api/v1/users/me/profile'));
    expect(profile).toEqual({
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: '+49 30 123456',
      default_address: {
        full_name: 'Ada Lovelace',
        phone: null,
        line1: 'Analytical Street 1',
        line2: null,
        city: 'Berlin',
        region: null,
        postal_code: '10115',
        country: 'DE',
      },
    });
  });

  it('puts the API errors of an incomplete address at their fields', async () => {
    const user = userEvent.setup();
    renderRoutes(routes, '/account');
    const address = within(await screen.findByRole('group', { name: 'Default address' }));
    await user.type(address.getByLabelText('Full name'), 'Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(address.getByLabelText('City')).toHaveAttribute('aria-invalid', 'true'));
    expect(address.getByLabelText('Postal code')).toHaveAttribute('aria-invalid', 'true');
    expect(address.getByLabelText('Full name')).not.toHaveAttribute('aria-invalid');
  });

  it('asks for the password to change the e-mail, and says where the link went', async () => {
    const user = userEvent.setup();
    renderRoutes(routes, '/account');
    const newEmail = uniqueEmail('changed');
    await user.type(await screen.findByLabelText('New e-mail address'), newEmail);
    await user.type(screen.getByLabelText('Current password'), 'not-my-password');
    await user.click(screen.getByRole('button', { name: 'Change e-mail' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription(
        'The current password is not correct.',
      ),
    );

    await user.clear(screen.getByLabelText('Current password'));
    await user.type(screen.getByLabelText('Current password'), NEW_PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Change e-mail' }));
    expect(await screen.findByText(new RegExp(`We sent a confirmation link to ${newEmail}`))).toBeInTheDocument();
  });

  it('deletes the account after the password, logs out and goes home', async () => {
    const user = userEvent.setup();
    renderRoutes(routes, '/account');
    await user.type(await screen.findByLabelText('Confirm with your password'), NEW_PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(await screen.findByRole('heading', { name: 'Home' })).toBeInTheDocument();
    expect(getTokens()).toBeNull();
    expect(await canLogIn(email, NEW_PASSWORD)).toBe(false);
  });
});
