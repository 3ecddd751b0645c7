// The latency model's recorder (bench/model/bindings.ts): what it reports as the serial binding
// calls before the upstream call, for calls made one after another, raced, left running, and for
// concurrent requests. Fake bindings, fake upstream; the model runs in Node as it does in workerd.
/// <reference types="node" />
import { beforeAll, describe, expect, it } from "vitest";
import {
  CHAIN_HEADER,
  COLD_HEADER,
  HOPS_HEADER,
  SERIAL_MS_HEADER,
  UPSTREAM_MS_HEADER,
  UPSTREAM_OWN_HEADER,
} from "../../bench/model/protocol.ts";

type Bindings = { KV: KVNamespace; OBJECTS: DurableObjectNamespace };
type Handler = (env: Bindings) => Promise<void>;
let modelled: typeof import("../../bench/model/bindings.ts").modelled;

beforeAll(async () => {
  // The model takes the fetch it finds as the network: the fake upstream, taking 7 ms itself.
  globalThis.fetch = async () => new Response("{}", { headers: { [UPSTREAM_OWN_HEADER]: "7" } });
  ({ modelled } = await import("../../bench/model/bindings.ts"));
});

const kv = {
  get: async (key: string) => (key === "present" ? "value" : null),
  put: async () => {},
} as unknown as KVNamespace;
const objects = {
  idFromName: (name: string) => name,
  get: () => ({
    begin: async () => "reserved",
    // An object slower than its modelled round trip, as under load: it ends after a raced KV miss.
    slowBegin: () => new Promise((resolve) => setTimeout(() => resolve("reserved"), 20)),
    settle: async () => {},
  }),
} as unknown as DurableObjectNamespace;
const env = { KV: kv, OBJECTS: objects, MODEL_KV_HIT_MS: "2", MODEL_KV_MISS_MS: "6", MODEL_OBJECT_MS: "4" };
const begin = (e: Bindings) =>
  (e.OBJECTS.get(e.OBJECTS.idFromName("acc")) as unknown as { begin(): Promise<string> }).begin();
const upstream = () => fetch("https://upstream.test/");

let colds = 0;
async function send(handler: Handler, headers: Record<string, string> = {}) {
  const worker = modelled<Bindings>(
    {
      async fetch(_request, e) {
        await handler(e);
        return new Response("answer");
      },
    },
    { kv: ["KV"], objects: ["OBJECTS"] },
    () => colds++,
  );
  const response = await worker.fetch!(
    new Request("https://gateway.test/", { headers }),
    env as unknown as Bindings,
    {} as ExecutionContext,
  );
  return {
    hops: response.headers.get(HOPS_HEADER),
    chain: response.headers.get(CHAIN_HEADER),
    serialMs: response.headers.get(SERIAL_MS_HEADER),
    upstreamMs: response.headers.get(UPSTREAM_MS_HEADER),
  };
}

describe("serial calls before the upstream", () => {
  it("counts calls made one after another, each charged its round trip", async () => {
    const seen = await send(async (e) => {
      await e.KV.get("present");
      await e.KV.get("absent");
      await begin(e);
      await upstream();
    });
    expect(seen).toEqual({
      hops: "3",
      chain: "KV.get hit > KV.get miss > OBJECTS.begin",
      serialMs: "12",
      upstreamMs: "7",
    });
  });

  it("counts calls raced together once, holding the request up for the slower", async () => {
    const seen = await send(async (e) => {
      await Promise.all([e.KV.get("absent"), begin(e)]);
      await upstream();
    });
    expect(seen).toEqual({ hops: "1", chain: "KV.get miss", serialMs: "6", upstreamMs: "7" });
  });

  it("of calls raced and both ended, takes the one the request waited for: the last to end", async () => {
    const seen = await send(async (e) => {
      const lookup = e.KV.get("absent"); // ends after its 6 ms, before the object answers
      await (e.OBJECTS.get(e.OBJECTS.idFromName("acc")) as unknown as { slowBegin(): Promise<string> }).slowBegin();
      await upstream();
      await lookup;
    });
    expect(seen).toEqual({ hops: "1", chain: "OBJECTS.slowBegin", serialMs: "4", upstreamMs: "7" });
  });

  it("leaves out a call still running when the upstream is asked, and calls after it", async () => {
    const seen = await send(async (e) => {
      const lookup = e.KV.get("absent");
      await begin(e);
      await upstream();
      await Promise.all([lookup, e.KV.put("k", "v")]);
    });
    expect(seen).toEqual({ hops: "1", chain: "OBJECTS.begin", serialMs: "4", upstreamMs: "7" });
  });

  it("reports every serial call of a request that never reaches the upstream", async () => {
    const seen = await send(async (e) => {
      await e.KV.get("present");
    });
    expect(seen).toEqual({ hops: "1", chain: "KV.get hit", serialMs: "2", upstreamMs: null });
  });

  it("keeps concurrent requests' calls apart", async () => {
    const [one, three] = await Promise.all([
      send(async (e) => {
        await begin(e);
        await upstream();
      }),
      send(async (e) => {
        await e.KV.get("absent");
        await e.KV.get("absent");
        await begin(e);
        await upstream();
      }),
    ]);
    expect([one.hops, three.hops]).toEqual(["1", "3"]);
  });

  it("empties the isolate's caches for a request that asks for a cold start, and only then", async () => {
    const before = colds;
    await send(async () => {});
    await send(async () => {}, { [COLD_HEADER]: "1" });
    expect(colds - before).toBe(1);
  });
});
