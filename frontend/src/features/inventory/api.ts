// The warehouse back-office's side of the API: query keys, queries and mutations.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, type Schemas } from '@/api/client';
import { unwrap } from '@/lib/errors';

export type Warehouse = Schemas['WarehouseOut'];
export type WarehouseDetail = Schemas['WarehouseDetail'];
export type StockLine = Schemas['StockLineOut'];
export type Movement = Schemas['MovementOut'];
export type MovementKind = Schemas['MovementKind'];
export type InventoryTask = Schemas['TaskOut'];
export type StoreReport = Schemas['StoreOut'];

export interface MovementFilters {
  warehouse?: string;
  sku?: string;
  kind?: MovementKind;
  date_from?: string;
  date_to?: string;
  page: number;
}

export const WAREHOUSES_PAGE_SIZE = 50;
export const MOVEMENTS_PAGE_SIZE = 25;
// The API's largest page: enough for every warehouse in a select.
const ALL_WAREHOUSES = 100;
const TASK_POLL_MS = 1000;

export const inventoryKeys = {
  all: ['inventory'] as const,
  warehouses: () => [...inventoryKeys.all, 'warehouses'] as const,
  warehousePage: (query: WarehouseQuery) => [...inventoryKeys.warehouses(), query] as const,
  warehouse: (code: string) => [...inventoryKeys.all, 'warehouse', code] as const,
  movements: () => [...inventoryKeys.all, 'movements'] as const,
  movementPage: (filters: MovementFilters) => [...inventoryKeys.movements(), filters] as const,
  task: (id: string) => [...inventoryKeys.all, 'task', id] as const,
};

// --- warehouses --------------------------------------------------------------------------

interface WarehouseQuery {
  page?: number;
  size?: number;
  is_active?: boolean;
}

export function useWarehouses({ page = 1, size = ALL_WAREHOUSES, is_active }: WarehouseQuery = {}) {
  const query = { page, size, is_active };
  return useQuery({
    queryKey: inventoryKeys.warehousePage(query),
    queryFn: async () => unwrap(await api.GET('/api/v1/warehouses', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useWarehouse(code: string) {
  return useQuery({
    queryKey: inventoryKeys.warehouse(code),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/warehouses/{code}', { params: { path: { code } } })),
  });
}

export function useCreateWarehouse() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['WarehouseIn']) =>
      unwrap(await api.POST('/api/v1/warehouses', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inventoryKeys.warehouses() }),
  });
}

export function useUpdateWarehouse(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['WarehousePatch']) =>
      unwrap(await api.PATCH('/api/v1/warehouses/{code}', { params: { path: { code } }, body })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: inventoryKeys.warehouses() }),
        queryClient.invalidateQueries({ queryKey: inventoryKeys.warehouse(code) }),
      ]),
  });
}

// --- stock operations --------------------------------------------------------------------

/** After a stock change: the warehouses it touched and the journal are out of date. */
function useStockChanged() {
  const queryClient = useQueryClient();
  return (...codes: string[]) =>
    Promise.all([
      ...codes.map((code) => queryClient.invalidateQueries({ queryKey: inventoryKeys.warehouse(code) })),
      queryClient.invalidateQueries({ queryKey: inventoryKeys.movements() }),
    ]);
}

export function useSupply(code: string) {
  const stockChanged = useStockChanged();
  return useMutation({
    mutationFn: async (body: Schemas['SupplyIn']) =>
      unwrap(
        await api.POST('/api/v1/warehouses/{code}/supply', { params: { path: { code } }, body }),
      ),
    onSuccess: () => stockChanged(code),
  });
}

/** A demand goes through the stock API contract (a store is a warehouse, an item a SKU). */
export function useDemand(code: string) {
  const stockChanged = useStockChanged();
  return useMutation({
    mutationFn: async (item: { item_id: string; quantity: number }) =>
      unwrap(
        await api.POST('/api/v1/stores/{store_id}', {
          params: { path: { store_id: code } },
          body: { operation: 'demand', ...item },
        }),
      ),
    onSuccess: () => stockChanged(code),
  });
}

export function useAdjust(code: string) {
  const stockChanged = useStockChanged();
  return useMutation({
    mutationFn: async (body: Schemas['AdjustIn']) =>
      unwrap(
        await api.POST('/api/v1/warehouses/{code}/adjust', { params: { path: { code } }, body }),
      ),
    onSuccess: () => stockChanged(code),
  });
}

export function useTransfer(code: string) {
  const stockChanged = useStockChanged();
  return useMutation({
    mutationFn: async (body: Schemas['TransferIn']) =>
      unwrap(
        await api.POST('/api/v1/warehouses/{code}/transfer', { params: { path: { code } }, body }),
      ),
    onSuccess: (moved) => stockChanged(code, moved.to_warehouse),
  });
}

// --- the weight task ---------------------------------------------------------------------

export function useStartWeightTask(code: string) {
  return useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/warehouses/{code}/weight-tasks', { params: { path: { code } } }),
      ),
  });
}

export function isFinished(task: InventoryTask | undefined): boolean {
  return task?.status === 'success' || task?.status === 'failure';
}

/** The task, polled until it has finished; polling stops with the last observer (unmount). */
export function useInventoryTask(taskId: string | null) {
  return useQuery({
    queryKey: inventoryKeys.task(taskId ?? ''),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/inventory-tasks/{task_id}', {
          params: { path: { task_id: taskId ?? '' } },
        }),
      ),
    enabled: taskId !== null,
    refetchInterval: (query) => (isFinished(query.state.data) ? false : TASK_POLL_MS),
  });
}

// --- the xlsx report ---------------------------------------------------------------------

/** The stock report as a file: fetched through the client, which adds the Authorization. */
export async function fetchStockReport(code: string): Promise<{ blob: Blob; filename: string }> {
  const result = await api.GET('/api/v1/stores/{store_id}/xlsx_report', {
    params: { path: { store_id: code } },
    parseAs: 'blob',
  });
  const blob = unwrap(result);
  const disposition = result.response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `stock-${code}.xlsx`;
  return { blob, filename };
}

// --- the journal -------------------------------------------------------------------------

export function useMovements(filters: MovementFilters) {
  return useQuery({
    queryKey: inventoryKeys.movementPage(filters),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/stock-movements', {
          params: { query: { ...filters, size: MOVEMENTS_PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
