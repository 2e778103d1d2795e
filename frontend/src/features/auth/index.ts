// Public face of the auth feature: its pages, as routes.
export { authRoutes } from './routes';
