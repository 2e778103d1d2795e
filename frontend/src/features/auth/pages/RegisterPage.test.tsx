import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { NEW_PASSWORD, renderRoutes, uniqueEmail } from '@/test/backend';

import { authRoutes } from '../routes';

async function register(email: string, password: string) {
  const user = userEvent.setup();
  renderRoutes(authRoutes, '/register');
  expect(screen.getByRole('heading', { level: 1, name: 'Create an account' })).toBeInTheDocument();
  await user.type(screen.getByLabelText('E-mail'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Create account' }));
  return user;
}

describe('RegisterPage', () => {
  it('says where the confirmation link went, and sends it again on request', async () => {
    const email = uniqueEmail('register');
    const user = await register(email, NEW_PASSWORD);
    expect(await screen.findByText(`Check your inbox: we sent a confirmation link to ${email}.`)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send it again' }));
    expect(await screen.findByText(/a new confirmation link is on its way/)).toBeInTheDocument();
  });

  it('shows a weak password refused by the API at the password field', async () => {
    await register(uniqueEmail('register'), 'password123');
    const password = screen.getByLabelText('Password');
    expect(await screen.findByText(/too common/)).toBeInTheDocument();
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(expect.stringMatching(/too common/));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
