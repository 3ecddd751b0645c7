// The account command's credential flags (docs/contract.md §9): the logon cipher, the sign, the
// IP allowlist and a rotation's grace. Kept apart from args.ts, which spreads them into its tables.
import { z } from "zod";
import { MAX_ALLOWED_NETWORKS, parseCidr } from "../../src/accounts/allow-ip.ts";
import { MAX_GRACE_SECONDS } from "../../src/accounts/rotate.ts";
import { CIPHERS, type Cipher, KEY_LENGTHS } from "../../src/crypto/cipher.ts";
import { usageError } from "../lib/errors.ts";

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };
const GRACE_RULE = `--grace is seconds, or a number with s, m, h or d (30m, 24h), at most ${MAX_GRACE_SECONDS / 86_400}d`;

const grace = z
  .string()
  .regex(/^\d{1,9}[smhd]?$/, GRACE_RULE)
  .transform((text) => Number.parseInt(text, 10) * (UNIT_SECONDS[text.at(-1)!] ?? 1))
  .refine((seconds) => seconds <= MAX_GRACE_SECONDS, GRACE_RULE);

const allowIps = z.union([
  z.literal("none").transform(() => null),
  z
    .string()
    .transform((text) => [
      ...new Set(
        text
          .split(",")
          .map((cidr) => cidr.trim())
          .filter(Boolean),
      ),
    ])
    .superRefine((list, ctx) => {
      const bad = list.find((cidr) => parseCidr(cidr) === null);
      if (bad !== undefined)
        ctx.addIssue({ code: "custom", message: `--allow-ip: "${bad}" is not an IPv4 or IPv6 CIDR` });
      else if (list.length === 0 || list.length > MAX_ALLOWED_NETWORKS)
        ctx.addIssue({ code: "custom", message: `--allow-ip takes 1 to ${MAX_ALLOWED_NETWORKS} networks, or none` });
    }),
]);

/** Each credential flag's value, merged into args.ts's VALUES. */
export const CREDENTIAL_VALUES = {
  cipher: z.enum(CIPHERS, `--cipher must be one of ${CIPHERS.join(", ")}`),
  "require-sign": z.boolean(),
  "allow-ip": allowIps,
  grace,
};

export const CREDENTIAL_SWITCHES = ["require-sign"] as const;
/** The settings create and update take (grace belongs to the rotations). */
export const CREDENTIAL_SETTINGS = ["cipher", "require-sign", "allow-ip"] as const;
export const CREDENTIAL_SHOWN = { cipher: CIPHERS.join("|"), "allow-ip": "CIDR,…|none", grace: "DURATION" };

type CredentialValues = { cipher?: Cipher; "require-sign"?: boolean; "allow-ip"?: string[] | null };

export const credentialSettings = (values: CredentialValues) => ({
  cipher: values.cipher,
  requireSign: values["require-sign"],
  allowIps: values["allow-ip"],
});

/** create's key length: as asked, else the cipher's first; refused when the cipher cannot take it. */
export function keyLengthFor(cipher: Cipher | undefined, asked: 16 | 32 | undefined): 16 | 32 {
  const lengths = KEY_LENGTHS[cipher ?? "aes-cbc"];
  if (asked !== undefined && !lengths.includes(asked))
    throw usageError(`--cipher ${cipher} takes --key-length ${lengths.join(" or ")}`);
  return asked ?? lengths[0]!;
}
