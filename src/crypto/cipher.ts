// The ciphers an account's logon may use (docs/contract.md §1): aes-cbc is 驭信's and the default;
// aes-gcm and a signed CBC cannot be altered in transit; sm4-cbc is the 国密 twin of aes-cbc.
export const CIPHERS = ["aes-cbc", "aes-gcm", "sm4-cbc"] as const;
export type Cipher = (typeof CIPHERS)[number];
export const DEFAULT_CIPHER: Cipher = "aes-cbc";

/** The iv's length in UTF-8 bytes: the CBC block, or GCM's 96-bit nonce. */
export const IV_BYTES: Readonly<Record<Cipher, number>> = { "aes-cbc": 16, "aes-gcm": 12, "sm4-cbc": 16 };

/** The logonKey lengths each cipher takes, in characters (= UTF-8 bytes: keys are ASCII). */
export const KEY_LENGTHS: Readonly<Record<Cipher, readonly (16 | 32)[]>> = {
  "aes-cbc": [16, 32],
  "aes-gcm": [16, 32],
  "sm4-cbc": [16],
};

/** CBC without a signature can be altered by whoever holds a captured request (docs/contract.md §2). */
export const isMalleable = (cipher: Cipher, requireSign: boolean) => cipher !== "aes-gcm" && !requireSign;
