// Pure money-and-count rules (docs/contract.md §4, issue "exact quotas"): evaluated inside the account's
// Durable Object against its own exact state, never against a cached copy.

export type Available = {
  /** The balance itself (null: not a prepaid account). */
  readonly balanceFen: number | null;
  /** The balance minus what reservations in flight hold. */
  readonly spendableFen: number | null;
  /** Counts left minus those held (null: unmetered). */
  readonly remaining: number | null;
};

/** Why a reservation is refused, in the contract's order: 104, then 312, then 313; null when it may go ahead. */
export function refusal(a: Available, priceFen: number): "104" | "312" | "313" | null {
  if (a.balanceFen !== null && a.balanceFen <= 0) return "104";
  if (a.spendableFen !== null && a.spendableFen < priceFen) return "312";
  if (a.remaining !== null && a.remaining <= 0) return "313";
  return null;
}
