// Stands in for @aws/lambda-invoke-store in the Lambda bundle (scripts/lambda-trims.mjs). The SDK reads it
// in one place, the recursion-detection middleware, for the invocation's trace ids (X-Ray, W3C). The Lambda
// runtime registers its own store as globalThis.awslambda.InvokeStore before it loads the handler, and the
// package's getInstanceAsync returns that one whenever it exists: so does this. Without one (outside
// Lambda), the package would make an empty store of its own, whose getters all answer undefined, and the
// middleware falls back to _X_AMZN_TRACE_ID: answering undefined here does the same.
interface TraceStore {
  getXRayTraceId(): string | undefined;
  getTraceparent?(): string | undefined;
  getTracestate?(): string | undefined;
  getBaggage?(): string | undefined;
}

export const InvokeStore = {
  getInstanceAsync: async (): Promise<TraceStore | undefined> =>
    (globalThis as { awslambda?: { InvokeStore?: TraceStore } }).awslambda?.InvokeStore,
};
