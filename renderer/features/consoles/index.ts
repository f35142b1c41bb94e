/** The public surface of the consoles feature. */
export { consolesRoutes } from './routes';
