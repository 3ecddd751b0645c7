/** The four mainland networks, as `info.carrier` names them (docs/contract.md §3, §5). */
export const CARRIERS = ["CMCC", "CUCC", "CTCC", "CBN"] as const;
export type Carrier = (typeof CARRIERS)[number];
