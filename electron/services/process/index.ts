export { ancestors, isAlive, watchParents } from './parent-watch';
