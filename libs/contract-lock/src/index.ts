export { diffOpenApi, formatDiff, type OpenApiDiff } from './openapi-diff';
