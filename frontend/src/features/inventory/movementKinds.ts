import type { MovementKind } from './api';

/** Every kind of movement the journal knows, in words (the Record keeps the list complete). */
export const MOVEMENT_KIND_LABELS: Record<MovementKind, string> = {
  supply: 'Supply',
  demand: 'Demand',
  adjustment: 'Count adjustment',
  reservation: 'Reservation',
  release: 'Release',
  sale: 'Sale',
  return: 'Return',
  transfer_in: 'Transfer in',
  transfer_out: 'Transfer out',
  clean: 'Clean',
};

export function isMovementKind(value: string | null): value is MovementKind {
  return value !== null && Object.hasOwn(MOVEMENT_KIND_LABELS, value);
}
