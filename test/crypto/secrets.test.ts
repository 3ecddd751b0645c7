import { describe, expect, it } from "vitest";
import { hmacHex, seal, sha256Hex, unseal } from "../../src/crypto/secrets.ts";

const SECRET = "a-service-secret-of-at-least-32-chars";

describe("seal", () => {
  it("round-trips under the same secret and account", async () => {
    const sealed = await seal(SECRET, "acc_1", "demo-logon-key16");
    expect(await unseal(SECRET, "acc_1", sealed)).toBe("demo-logon-key16");
  });

  it("does not contain the plaintext", async () => {
    expect(await seal(SECRET, "acc_1", "demo-logon-key16")).not.toContain("demo-logon-key16");
  });

  it("refuses another account's sealed key (bound by AAD)", async () => {
    const sealed = await seal(SECRET, "acc_1", "demo-logon-key16");
    expect(await unseal(SECRET, "acc_2", sealed)).toBeNull();
  });

  it("refuses under another secret", async () => {
    const sealed = await seal(SECRET, "acc_1", "demo-logon-key16");
    expect(await unseal(`${SECRET}x`, "acc_1", sealed)).toBeNull();
  });

  it.each(["", "v1.", "v2.AAAA.AAAA", "v1.!!.??", "plain-key"])("refuses malformed text %j", async (text) => {
    expect(await unseal(SECRET, "acc_1", text)).toBeNull();
  });
});

describe("hashes", () => {
  it("sha256Hex matches the known vector for 'abc'", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("hmacHex depends on the secret", async () => {
    expect(await hmacHex(SECRET, "x")).not.toBe(await hmacHex(`${SECRET}y`, "x"));
  });
});
