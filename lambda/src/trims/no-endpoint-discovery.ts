// Stands in for @aws-sdk/middleware-endpoint-discovery in the Lambda bundle (scripts/build.mjs aliases
// it). In the pinned @aws-sdk/client-dynamodb no command adds the discovery middleware: the client only
// builds an LRU cache (mnemonist, 8 KB of bundle) that nothing reads, and a provider nothing calls. Were a
// newer client to import the middleware, the build would stop on the missing export.

/** The client's config passes through: no endpoint cache, since no middleware reads one. */
export const resolveEndpointDiscoveryConfig = <T>(input: T): T => input;

/** Read by the client's runtime config into a provider that only the absent middleware would call. */
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: (): undefined => undefined,
  configFileSelector: (): undefined => undefined,
  default: undefined,
};
