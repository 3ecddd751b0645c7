/** The part of the execution context the request path uses: work that outlives the response. */
export type Background = Pick<ExecutionContext, "waitUntil">;
