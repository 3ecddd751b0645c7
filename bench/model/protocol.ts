// What the bench (Node) and the model entries (workerd) say to each other: the vars that set the
// modelled round trips, the header that asks for a cold isolate cache, and the headers a modelled
// response carries back. Plain constants, so both sides' tsconfigs can import them.

/** Vars of a model entry: modelled round trips in ms. */
export const MODEL_VARS = {
  kvHitMs: "MODEL_KV_HIT_MS",
  kvMissMs: "MODEL_KV_MISS_MS",
  objectMs: "MODEL_OBJECT_MS",
} as const;

/** Request header: "1" clears the isolate's caches before the request (a cold isolate). */
export const COLD_HEADER = "x-model-cold";

/** Response headers: serial binding calls before the upstream call, and their names in order. */
export const HOPS_HEADER = "x-model-hops";
export const CHAIN_HEADER = "x-model-chain";
/** Response header: the modelled round trips of those calls, summed, in ms. */
export const SERIAL_MS_HEADER = "x-model-serial-ms";
/** Response header: how late the worker's timers fire, as the model has learnt it (ms). */
export const TIMER_LATE_HEADER = "x-model-timer-late-ms";
/** Response header: the upstream's own time for this request (from the fake upstream's header). */
export const UPSTREAM_MS_HEADER = "x-model-upstream-ms";

/** Fake upstream's response header: how long it took itself, in ms. */
export const UPSTREAM_OWN_HEADER = "x-upstream-own-ms";
