// The shop's name and currency (GET /shop), fetched once per visit.
import { useQuery } from '@tanstack/react-query';

import { api } from '@/api/client';

import { unwrap } from './errors';

export function useShop() {
  return useQuery({
    queryKey: ['shop'],
    queryFn: async () => unwrap(await api.GET('/api/v1/shop')),
    staleTime: Infinity,
  });
}
