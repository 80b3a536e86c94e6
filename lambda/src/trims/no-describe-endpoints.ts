// Stands in for DynamoDB's DescribeEndpointsCommand in the Lambda bundle (scripts/lambda-trims.mjs):
// only endpoint discovery sends it, and the bundle has none (no-endpoint-discovery.ts); the client
// passes the class to the discovery config and never constructs it.
export class DescribeEndpointsCommand {
  constructor() {
    throw new Error('DescribeEndpoints is not part of the Lambda bundle (lambda/src/trims/no-describe-endpoints.ts)');
  }
}
