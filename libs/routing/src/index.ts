export { routeName, type PassThroughMethod, type PassThroughRoute } from './pass-through.route';
export { checkRouteTable, type RouteTableContext } from './route-table.check';
export { RouteTableError, type RouteTableProblem } from './route-table.errors';
export {
  PassThroughModule,
  CacheResources,
  createResponseCache,
  type PassThroughOptions,
  type ResponseCacheSettings,
} from './pass-through.module';
export { PassThroughHandler } from './pass-through.handler';
export { passThroughController } from './pass-through.controller';
