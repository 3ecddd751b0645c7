// Bench only: the latency model's floor. A Worker that does nothing but forward to the upstream
// and translate its answer, through the same model, measures what any Worker adds on this machine
// (loopback HTTP, waking up after the upstream's wait) apart from its own work.
import type { Bindings } from "../peer/worker.ts";
import { modelled } from "./bindings.ts";

export default modelled<Bindings>(
  {
    async fetch(_request, env) {
      const upstream = await fetch(`${env.JUHE_URL}/telecomCmcc/query`, {
        method: "POST",
        body: new URLSearchParams({ key: env.JUHE_KEY }),
      });
      const { error_code } = await upstream.json<{ error_code: number }>();
      return Response.json(error_code === 0 ? { errorCode: "200", returnCode: "10001" } : { errorCode: "502" });
    },
  },
  { kv: [], objects: [] },
  () => {},
);
