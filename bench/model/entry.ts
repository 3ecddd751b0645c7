// Bench only: the gateway with its bindings behind modelled round trips (see bindings.ts), built
// with `wrangler deploy bench/model/entry.ts --dry-run` like the real entry. A cold request
// empties every per-isolate cache first, as a fresh isolate would have them.
import app, { AccountObject, AlertDesk } from "../../src/index.ts";
import { isolateCaches } from "../../src/platform/bounded-cache.ts";
import { modelled } from "./bindings.ts";

export { AccountObject, AlertDesk };

export default modelled<Env>({ fetch: app.fetch }, { kv: ["ACCOUNTS", "DEDUP"], objects: ["ACCOUNT_OBJECTS"] }, () => {
  for (const cache of isolateCaches) cache.clear();
});
