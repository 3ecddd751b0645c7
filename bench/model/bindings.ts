// Bench only: a Worker run with its bindings behind modelled production round trips
// (docs/benchmark.md, "Latency model"). Each call is made locally, then held until its modelled
// round trip has passed: a KV read a hit or a miss by its result, a KV write a miss, a Durable
// Object RPC call the object round trip. The local store's own time counts toward the round trip,
// not on top of it. Outbound fetch is the upstream: not delayed here (the fake upstream waits
// itself). Every call is recorded per request, through AsyncLocalStorage so concurrent requests
// and their background work keep apart, and the response says how many calls ran one after
// another before the upstream was asked.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  CHAIN_HEADER,
  COLD_HEADER,
  HOPS_HEADER,
  MODEL_VARS,
  SERIAL_MS_HEADER,
  TIMER_LATE_HEADER,
  UPSTREAM_MS_HEADER,
  UPSTREAM_OWN_HEADER,
} from "./protocol.ts";

type Delays = { readonly kvHitMs: number; readonly kvMissMs: number; readonly objectMs: number };

/** A binding call, by the request's own sequence numbers (timestamps are too coarse in workerd). */
type Call = { name: string; readonly start: number; end: number; modelledMs: number };

/** Ends a call: the round trip it was charged and, for a KV read, "hit" or "miss". */
type Done = (modelledMs: number, detail?: string) => void;

class Recorder {
  private seq = 0;
  private readonly calls: Call[] = [];
  upstreamAt: number | null = null;
  upstreamOwnMs = 0;

  begin(name: string): Done {
    const call: Call = { name, start: ++this.seq, end: Number.POSITIVE_INFINITY, modelledMs: 0 };
    this.calls.push(call);
    return (modelledMs, detail) => {
      call.end = ++this.seq;
      call.modelledMs = modelledMs;
      if (detail) call.name += ` ${detail}`;
    };
  }

  upstreamStarts(): void {
    this.upstreamAt ??= ++this.seq;
  }

  /**
   * Among the calls that ended before the upstream was asked (all calls so far when it was not),
   * the chain of calls each started after the previous one ended with the most calls (the serial
   * hops; calls raced together count once) and, of chains as long, the one that ended last: the
   * one the request waited for (the hop test's rule, test/verify-mobile/hops.test.ts). A call that
   * merely ended earlier, like a read raced against the object and lost, is not on it.
   */
  serialChain(): Chain {
    const rank = (c: Chain) => c.count * 1e9 + (c.calls.at(-1)?.end ?? 0);
    const before = this.upstreamAt ?? this.seq + 1;
    const done = this.calls.filter((c) => c.end < before).sort((a, b) => a.end - b.end);
    const best: Chain[] = [];
    let top: Chain = { calls: [], count: 0, ms: 0 };
    for (const [i, call] of done.entries()) {
      let prior: Chain = { calls: [], count: 0, ms: 0 };
      for (let j = 0; j < i; j++) if (done[j]!.end < call.start && rank(best[j]!) > rank(prior)) prior = best[j]!;
      const chain = { calls: [...prior.calls, call], count: prior.count + 1, ms: prior.ms + call.modelledMs };
      best.push(chain);
      if (rank(chain) > rank(top)) top = chain;
    }
    return top;
  }
}

type Chain = { readonly calls: Call[]; readonly count: number; readonly ms: number };

const current = new AsyncLocalStorage<Recorder>();
type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * How late workerd's timers fire: ~1.2 ms locally, and a timer waits whole ms. Learnt from the
 * timers themselves (the clock is exact when a timer fires), so that a held call takes its
 * modelled time rather than that plus the lateness: the bias would grow with every hop.
 */
let timerLateMs = 1;

/** Waits out what is left of `ms` since `started` (workerd's clock moves on I/O, in whole ms). */
function holdUntil(started: number, ms: number): Promise<void> {
  const left = started + ms - Date.now();
  if (left <= 0) return Promise.resolve();
  const wait = Math.max(0, Math.round(left - timerLateMs));
  const scheduled = Date.now();
  return new Promise((resolve) =>
    setTimeout(() => {
      if (wait > 0) timerLateMs += 0.05 * (Date.now() - scheduled - wait - timerLateMs);
      resolve();
    }, wait),
  );
}

function modelKv(kv: KVNamespace, name: string, delays: Delays): KVNamespace {
  const methods = kv as unknown as Record<string, Method>;
  type Charge = { ms: number; detail?: string };
  const timed =
    (method: string, charge: (result: unknown) => Charge) =>
    async (...args: unknown[]) => {
      const done = current.getStore()?.begin(`${name}.${method}`);
      const started = Date.now();
      const result = await methods[method]!.apply(kv, args).catch((error: unknown) => {
        done?.(0, "failed");
        throw error;
      });
      const { ms, detail } = charge(result);
      await holdUntil(started, ms);
      done?.(ms, detail);
      return result;
    };
  const byResult = (isMiss: (r: unknown) => boolean) => (r: unknown) =>
    isMiss(r) ? { ms: delays.kvMissMs, detail: "miss" } : { ms: delays.kvHitMs, detail: "hit" };
  const write = () => ({ ms: delays.kvMissMs });
  const wrapped: Record<string, Method> = {
    get: timed(
      "get",
      byResult((r) => r === null),
    ),
    getWithMetadata: timed(
      "getWithMetadata",
      byResult((r) => (r as { value: unknown }).value === null),
    ),
    put: timed("put", write),
    delete: timed("delete", write),
    list: timed("list", write),
  };
  return wrapped as unknown as KVNamespace;
}

function modelStub(stub: DurableObjectStub, name: string, delays: Delays): DurableObjectStub {
  const methods = stub as unknown as Record<string | symbol, unknown>;
  return new Proxy({} as DurableObjectStub, {
    get(_, prop) {
      // Properties of the stub itself; everything else is an RPC method.
      if (typeof prop === "symbol" || prop === "id" || prop === "name" || prop === "then") return methods[prop];
      return async (...args: unknown[]) => {
        const done = current.getStore()?.begin(`${name}.${prop}`);
        const started = Date.now();
        try {
          return await (methods[prop] as Method)(...args);
        } finally {
          await holdUntil(started, delays.objectMs);
          done?.(delays.objectMs);
        }
      };
    },
  });
}

function modelObjects(namespace: DurableObjectNamespace, name: string, delays: Delays): DurableObjectNamespace {
  const members = namespace as unknown as Record<string | symbol, unknown>;
  return new Proxy({} as DurableObjectNamespace, {
    get(_, prop) {
      const member = members[prop];
      if (typeof member !== "function") return member;
      // Getting a stub costs no round trip; its calls do.
      if (prop === "get" || prop === "getByName")
        return (...args: unknown[]) => modelStub(member.apply(namespace, args), name, delays);
      return member.bind(namespace);
    },
  });
}

const networkFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const recorder = current.getStore();
  recorder?.upstreamStarts();
  const response = await networkFetch.call(globalThis, input, init);
  if (recorder) recorder.upstreamOwnMs += Number(response.headers.get(UPSTREAM_OWN_HEADER) ?? 0);
  return response;
};

export type ModelBindings = { readonly kv: readonly string[]; readonly objects: readonly string[] };

function delaysOf(env: Record<string, unknown>): Delays {
  const read = (name: string) => {
    const value = Number(env[name]);
    if (!(value >= 0)) throw new Error(`model entry: ${name} must be set to a number of ms`);
    return value;
  };
  return {
    kvHitMs: read(MODEL_VARS.kvHitMs),
    kvMissMs: read(MODEL_VARS.kvMissMs),
    objectMs: read(MODEL_VARS.objectMs),
  };
}

/**
 * `handler` with the named bindings modelled. The modelled env is made once per env object, so
 * whatever the Worker memoises per env stays memoised. `coldStart` empties the isolate's caches
 * for a request that asks for it (COLD_HEADER).
 */
export function modelled<E extends object>(
  handler: ExportedHandler<E>,
  bindings: ModelBindings,
  coldStart: () => void,
): ExportedHandler<E> {
  const envs = new WeakMap<E, E>();
  const modelEnv = (env: E): E => {
    let model = envs.get(env);
    if (!model) {
      const source = env as Record<string, unknown>;
      const delays = delaysOf(source);
      const replaced: Record<string, unknown> = {};
      for (const name of bindings.kv) replaced[name] = modelKv(source[name] as KVNamespace, name, delays);
      for (const name of bindings.objects)
        replaced[name] = modelObjects(source[name] as DurableObjectNamespace, name, delays);
      model = { ...env, ...replaced };
      envs.set(env, model);
    }
    return model;
  };
  return {
    async fetch(request, env, ctx) {
      if (request.headers.get(COLD_HEADER) === "1") coldStart();
      const recorder = new Recorder();
      const answer = await current.run(recorder, () => handler.fetch!(request, modelEnv(env), ctx));
      const hops = recorder.serialChain();
      const response = new Response(answer.body, answer);
      response.headers.set(HOPS_HEADER, String(hops.count));
      response.headers.set(CHAIN_HEADER, hops.calls.map((c) => c.name).join(" > "));
      response.headers.set(SERIAL_MS_HEADER, String(hops.ms));
      response.headers.set(TIMER_LATE_HEADER, timerLateMs.toFixed(2));
      if (recorder.upstreamAt !== null) response.headers.set(UPSTREAM_MS_HEADER, String(recorder.upstreamOwnMs));
      return response;
    },
  };
}
