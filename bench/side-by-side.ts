// The peer side by side (docs/benchmark.md "Peer"): the verify path's throughput, the gateway as it
// deploys against the peer (bench/peer/), both asking the same fake juhe (answering at once, plain
// mode) with the same load, bodies and accounts. Local bindings, no model: this is CPU per request.
import { join } from "node:path";
import { ROOT } from "../scripts/lib/paths.ts";
import { FAKE_JUHE_KEY, type FakeJuhe } from "./fake-juhe.ts";
import { type Measured, measure } from "./load.ts";
import { build, OUT, PEER_CONFIG, seedAccount, seedPeerAccount, startWorker, type Worker } from "./server.ts";
import { IdentityPool, verifyPath } from "./workload.ts";

export type SideBySide = { ours: Measured; peer: Measured };
export type Load = { seconds: number; warmupSeconds: number; connections: number };

/** The peer as it would deploy (once per bench). */
export function buildPeer(): string {
  return build(join(OUT, "peer"), { entry: join(ROOT, "bench/peer/worker.ts"), config: PEER_CONFIG }).script;
}

async function verifyRate(worker: Worker, pool: IdentityPool, load: Load, expectedRps: number): Promise<Measured> {
  // Enough fresh identities for twice the expected rate; made on the spot beyond that.
  pool.fill(Math.ceil(2 * expectedRps * (load.warmupSeconds + load.seconds)) + 500);
  const warm = await measure(worker.url, verifyPath(pool), load.warmupSeconds, load.connections);
  const measured = await measure(worker.url, verifyPath(pool), load.seconds, load.connections);
  measured.unexpected += warm.unexpected;
  return measured;
}

export async function measureSideBySide(
  script: string,
  peerScript: string,
  juhe: FakeJuhe,
  load: Load,
  expectedRps: number,
): Promise<SideBySide> {
  const upstream = { JUHE_MODE: "plain", JUHE_KEY: FAKE_JUHE_KEY };
  const ours = await startWorker(script, {
    bindings: { ...upstream, UPSTREAMS: "juhe", JUHE_BASE_URL: juhe.baseUrl(0) },
  });
  let oursMeasured: Measured;
  let pool: IdentityPool;
  try {
    pool = new IdentityPool([await seedAccount(ours, "Side by side", "reject")]);
    oursMeasured = await verifyRate(ours, pool, load, expectedRps);
  } finally {
    await ours.dispose();
  }
  const peer = await startWorker(peerScript, {
    config: PEER_CONFIG,
    bindings: { JUHE_URL: juhe.baseUrl(0), JUHE_KEY: FAKE_JUHE_KEY },
  });
  try {
    await seedPeerAccount(peer, pool.accounts[0]!);
    return { ours: oursMeasured, peer: await verifyRate(peer, pool, load, expectedRps) };
  } finally {
    await peer.dispose();
  }
}
