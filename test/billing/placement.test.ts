// Where a new account's Durable Object is created (docs/benchmark.md "Placement"): the stub carries
// OBJECT_LOCATION_HINT when it names a location hint, nothing when it is unset, and a hint that is
// not one is a configuration error like any other broken setting.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountObject } from "../../src/billing/gateway.ts";
import { readConfig } from "../../src/config/config.ts";

/** The options each `get` was asked with, on a namespace that still makes real stubs. */
function recording(vars: Record<string, string>) {
  const options: unknown[] = [];
  const namespace = env.ACCOUNT_OBJECTS;
  const objects = {
    idFromName: (name: string) => namespace.idFromName(name),
    get: (id: DurableObjectId, opts?: DurableObjectNamespaceGetDurableObjectOptions) => {
      options.push(opts);
      return namespace.get(id, opts);
    },
  } as unknown as Env["ACCOUNT_OBJECTS"];
  return { bindings: { ...env, ...vars, ACCOUNT_OBJECTS: objects } as Env, options };
}

describe("OBJECT_LOCATION_HINT", () => {
  it("apac: the account's object is asked for with that location hint", () => {
    const { bindings, options } = recording({ OBJECT_LOCATION_HINT: "apac" });
    accountObject(bindings, "acc_placement_1");
    expect(options).toEqual([{ locationHint: "apac" }]);
  });

  it("unset (empty): no hint, the object is created near the first request", () => {
    const { bindings, options } = recording({ OBJECT_LOCATION_HINT: "" });
    accountObject(bindings, "acc_placement_2");
    expect(options).toEqual([undefined]);
  });

  it("a value that is no location hint: the configuration is refused, naming the setting", () => {
    const parsed = readConfig({ ...env, OBJECT_LOCATION_HINT: "cn-north" });
    expect(parsed.ok ? "accepted" : parsed.problems).toMatch(/^OBJECT_LOCATION_HINT: /);
  });
});
