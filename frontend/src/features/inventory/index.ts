import type { RouteObject } from 'react-router';

export const inventoryRoutes: RouteObject[] = [];
