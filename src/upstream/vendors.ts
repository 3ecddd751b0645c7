// Every vendor the gateway can ask, one descriptor each (./descriptor.ts). Adding a vendor is its
// folder and one line here; the order is the sandbox chain's (docs/contract.md §5).
import { JUHE, JUHE3 } from "./juhe/index.ts";
import { TENCENT } from "./tencent/index.ts";

export const VENDORS = [JUHE, JUHE3, TENCENT] as const;

export type VendorName = (typeof VENDORS)[number]["name"];
