// How long a reservation may outlive its request (docs/contract.md §7). Plain values only: the
// Chinese guide's generator (plain Node) reads them too.

/**
 * How long a reservation outlives the longest its request may work on the upstream
 * (UPSTREAM_DEADLINE_MS, counted from `begin`): time for the settlement's first tries to arrive.
 * Past it the request is dead and its reservation is released.
 */
export const RESERVATION_MARGIN_MS = 5_000;

/** How long a reservation made under a deadline of `deadlineMs` is held. */
export const reservationMs = (deadlineMs: number) => deadlineMs + RESERVATION_MARGIN_MS;
