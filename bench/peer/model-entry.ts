// Bench only: the peer with its KV behind the same modelled round trips as the gateway (see
// ../model/bindings.ts). It keeps nothing per isolate, so a cold request is any request.
import { modelled } from "../model/bindings.ts";
import peer, { type Bindings } from "./worker.ts";

export default modelled<Bindings>({ fetch: peer.fetch }, { kv: ["KV"], objects: [] }, () => {});
