// The account's requests: registration, e-mail confirmation, passwords, profile, e-mail
// change and deletion. Login and logout themselves live in src/lib/auth.
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, type Schemas } from '@/api/client';
import { ME_QUERY_KEY, useAuth } from '@/lib/auth';
import { unwrap } from '@/lib/errors';
import { setTokens } from '@/lib/session';

export function useRegister() {
  return useMutation({
    mutationFn: async (body: Schemas['RegisterIn']) =>
      unwrap(await api.POST('/api/v1/auth/register', { body })),
  });
}

export function useResendConfirmation() {
  return useMutation({
    mutationFn: async (email: string) =>
      unwrap(await api.POST('/api/v1/auth/verify/resend', { body: { email } })),
  });
}

export function useConfirmEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (token: string) =>
      unwrap(await api.POST('/api/v1/auth/verify', { body: { token } })),
    // A signed-in user's address or confirmation state just changed.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY }),
  });
}

export function useForgotPassword() {
  return useMutation({
    mutationFn: async (email: string) =>
      unwrap(await api.POST('/api/v1/auth/forgot-password', { body: { email } })),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: async (body: Schemas['ResetPasswordIn']) => {
      unwrap(await api.POST('/api/v1/auth/reset-password', { body }));
    },
  });
}

/** The API ends every other session and answers with this one's new token pair. */
export function useChangePassword() {
  return useMutation({
    mutationFn: async (body: Schemas['ChangePasswordIn']) =>
      unwrap(await api.POST('/api/v1/auth/change-password', { body })),
    onSuccess: (tokens) => setTokens(tokens),
  });
}

export function useSaveProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    // PUT: the form holds every field, so a field left empty is cleared.
    mutationFn: async (body: Schemas['ProfileIn']) =>
      unwrap(await api.PUT('/api/v1/users/me/profile', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY }),
  });
}

export function useRequestEmailChange() {
  return useMutation({
    mutationFn: async (body: Schemas['MeUpdateIn']) =>
      unwrap(await api.PATCH('/api/v1/users/me', { body })),
  });
}

export function useDeleteAccount() {
  return useMutation({
    mutationFn: async (body: Schemas['DeleteAccountIn']) => {
      unwrap(await api.DELETE('/api/v1/users/me', { body }));
    },
  });
}

export interface Credentials {
  email: string;
  password: string;
}

/** useAuth's login (it also merges the guest cart) with a mutation's pending and error. */
export function useLogin() {
  const { login } = useAuth();
  return useMutation({
    mutationFn: ({ email, password }: Credentials) => login(email, password),
  });
}
