// Public face of the orders feature: its pages, as routes.
export { orderRoutes } from './routes';
