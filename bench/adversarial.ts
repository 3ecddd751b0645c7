// The attack-surface corpus (test/fixtures/adversarial.ts: pre-auth form bodies of the 64 KiB cap
// built to make parsing expensive) and the normal-sized `306` the bench measures them against.
import { ADVERSARIAL_BODIES } from "../test/fixtures/adversarial.ts";

export type Input = { readonly name: string; readonly body: string };

/** A normal request that fails parameter checks: a logon of a usual length, an iv one short. */
export const TYPICAL: Input = {
  name: "typical 306 (normal size, 15-character iv)",
  body: `token=x&iv=abcdefghijklmno&logon=${"QUJD".repeat(38)}`,
};

export const ADVERSARIAL: readonly Input[] = ADVERSARIAL_BODIES.map(({ name, body }) => ({ name, body }));
