// Runs in Node, outside workerd: makes crypto vectors with Node's own `crypto`, so the Worker's
// WebCrypto code is checked against an independent implementation (see test/crypto/).
import type { TestProject } from "vitest/node";

export default function setup(_project: TestProject) {}
