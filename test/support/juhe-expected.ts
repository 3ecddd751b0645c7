// CONTRACT.md §3, written out independently of src/upstream/juhe-codes.ts: juhe error_code → ours.
import type { FailureCode } from "../../src/codes.ts";
import type { Config } from "../../src/env.ts";

export const EXPECTED_JUHE_CODES: readonly (readonly [juhe: number, ours: FailureCode])[] = [
  [227301, "504"],
  [227302, "502"],
  [227303, "308"],
  [227304, "310"],
  [227305, "310"],
  [227306, "310"],
  [227307, "502"],
  [10001, "500"],
  [10002, "500"],
  [10003, "500"],
  [10004, "500"],
  [10005, "500"],
  [10006, "500"],
  [10007, "500"],
  [10008, "500"],
  [10009, "500"],
  [10011, "502"],
  [10012, "502"],
  [10013, "502"],
  [10014, "504"],
  [10020, "503"],
  [10021, "503"],
  [227399, "504"], // unknown service code
  [10099, "504"], // unknown system code
];

export const TEST_BASE_URL = "https://juhe.test";

/** A parsed Config for the real-client path (JUHE_KEY set). */
export function juheConfig(overrides: Partial<Config> = {}): Config {
  return {
    SERVICE_SECRET: "test-service-secret-0123456789abcdef",
    JUHE_BASE_URL: TEST_BASE_URL,
    JUHE_KEY: "test-juhe-key",
    JUHE_OPENID: "test-openid",
    JUHE_MODE: "encrypted",
    UPSTREAM_TIMEOUT_MS: 5000,
    ...overrides,
  };
}
