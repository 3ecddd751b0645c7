// docs/contract.md §5, written out independently of src/upstream/juhe/codes.ts: juhe error_code → ours.

import type { JuheOptions } from "../../src/upstream/juhe/client.ts";
import type { FailureCode } from "../../src/wire/codes.ts";

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

/** Failover codes the breaker counts (docs/contract.md §5): juhe's own failures, not this query's (227302). */
export const EXPECTED_JUHE_FAULTS: readonly number[] = [
  227301, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009, 10011, 10012, 10013, 10014, 10020, 10021,
  227399, 10099,
];

/** Failover (docs/contract.md §5 "juhe answers"): the codes after which another upstream is asked. 227304 only from telecomCmcc. */
export const EXPECTED_JUHE_FAILOVER: readonly number[] = [
  227301, 227302, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009, 10011, 10012, 10013, 10014, 10020,
  10021, 227399, 10099,
];

/** Options of the real client against the faked network (encrypted mode, openid "test-openid"). */
export function juheConfig(overrides: Partial<JuheOptions> = {}): JuheOptions {
  return { baseUrl: TEST_BASE_URL, product: "telecomCmcc", key: "test-juhe-key", openid: "test-openid", ...overrides };
}
