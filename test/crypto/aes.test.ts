// WebCrypto AES (src/crypto/aes.ts) against Node's own `crypto`: the vectors are made fresh each
// run in test/global-setup.ts, outside workerd, with random keys and IVs.
import { describe, expect, inject, it } from "vitest";
import {
  cbcDecrypt,
  cbcDecryptBlocks,
  ecbDecrypt,
  ecbEncrypt,
  importAesCbcKey,
  paddingLength,
} from "../../src/crypto/aes.ts";
import { fromBase64, fromUtf8, toHex, utf8 } from "../../src/crypto/bytes.ts";
import { encryptJuheField, juheFieldKey, juheKeyText } from "../../src/upstream/juhe/crypto.ts";
import "../support/aes-vectors.ts";

const vectors = inject("aesVectors");

function fromHex(hex: string): Uint8Array {
  return new Uint8Array((hex.match(/../g) ?? []).map((b) => parseInt(b, 16)));
}

const byLength = <T extends { plainHex: string }>(list: T[]) => list.map((v) => [v.plainHex.length / 2, v] as const);

describe("AES-128-ECB vs Node's aes-128-ecb", () => {
  it("covers lengths 0..50, block multiples and UTF-8 text", () => {
    const lengths = new Set(vectors.ecb.map((v) => v.plainHex.length / 2));
    for (let n = 0; n <= 50; n++) expect(lengths).toContain(n);
    expect(vectors.ecb.map((v) => v.plainHex)).toContain(toHex(utf8.encode("阿依古丽·买买提")));
  });

  it.each(byLength(vectors.ecb))("ecbEncrypt of %i bytes equals Node's ciphertext", async (_, v) => {
    const key = await importAesCbcKey(fromHex(v.keyHex));
    expect(toHex(await ecbEncrypt(key, fromHex(v.plainHex)))).toBe(v.cipherHex);
  });

  it.each(byLength(vectors.ecb))("ecbDecrypt of Node's ciphertext of %i bytes gives the plaintext", async (_, v) => {
    const key = await importAesCbcKey(fromHex(v.keyHex));
    const plain = await ecbDecrypt(key, fromHex(v.cipherHex));
    expect(plain && toHex(plain)).toBe(v.plainHex);
  });

  it.each(vectors.ecbBadPadding.map((v, i) => [i, v] as const))(
    "ecbDecrypt rejects bad padding (case %i)",
    async (_, v) => {
      const key = await importAesCbcKey(fromHex(v.keyHex));
      expect(await ecbDecrypt(key, fromHex(v.cipherHex))).toBeNull();
    },
  );

  it.each([0, 1, 15, 17, 31, 33])("ecbDecrypt rejects %i bytes (not a positive multiple of 16)", async (n) => {
    const v = vectors.ecb.find((x) => x.cipherHex.length / 2 >= 48)!;
    const key = await importAesCbcKey(fromHex(v.keyHex));
    expect(await ecbDecrypt(key, fromHex(v.cipherHex).subarray(0, n))).toBeNull();
  });
});

describe.each([
  ["AES-128-CBC", vectors.cbc128],
  ["AES-256-CBC", vectors.cbc256],
] as const)("%s vs Node", (_, list) => {
  it.each(byLength(list))("cbcDecrypt of Node's ciphertext of %i bytes gives the plaintext", async (_, v) => {
    const key = await importAesCbcKey(fromHex(v.keyHex));
    const plain = await cbcDecrypt(key, fromHex(v.ivHex), fromHex(v.cipherHex));
    expect(plain && toHex(plain)).toBe(v.plainHex);
  });

  it.each(byLength(list))("cbcDecrypt under a wrong key returns null (%i bytes)", async (_, v) => {
    const key = await importAesCbcKey(fromHex(v.wrongKeyHex));
    expect(await cbcDecrypt(key, fromHex(v.ivHex), fromHex(v.cipherHex))).toBeNull();
  });

  it.each(byLength(list))(
    "cbcDecryptBlocks of %i bytes gives the plaintext with its padding, and paddingLength finds it",
    async (_, v) => {
      const key = await importAesCbcKey(fromHex(v.keyHex));
      const blocks = await cbcDecryptBlocks(key, fromHex(v.ivHex), fromHex(v.cipherHex));
      const pad = 16 - ((v.plainHex.length / 2) % 16);
      expect(toHex(blocks)).toBe(v.plainHex + pad.toString(16).padStart(2, "0").repeat(pad));
      expect(paddingLength(blocks)).toBe(pad);
    },
  );

  it.each(byLength(list))(
    "cbcDecryptBlocks under a wrong key still gives whole blocks, without throwing (%i bytes)",
    async (_, v) => {
      const key = await importAesCbcKey(fromHex(v.wrongKeyHex));
      expect((await cbcDecryptBlocks(key, fromHex(v.ivHex), fromHex(v.cipherHex))).length).toBe(v.cipherHex.length / 2);
    },
  );
});

describe("paddingLength", () => {
  const block = (tail: readonly number[]) => {
    const b = new Uint8Array(32).fill(0x41);
    b.set(tail, 32 - tail.length);
    return b;
  };
  it.each([
    ["01", 1, [1]],
    ["02 02", 2, [2, 2]],
    ["16 × 10", 16, Array(16).fill(16)],
    ["00", 0, [0]],
    ["11 (past a block)", 0, [17]],
    ["ff", 0, [255]],
    ["01 02", 0, [1, 2]],
    ["03 03 (one short)", 0, [3, 3]],
    ["0f then 15 × 10", 0, [15, ...Array(15).fill(16)]],
  ] as const)("%s → %i", (_label, length, tail) => {
    expect(paddingLength(block(tail))).toBe(length);
  });
});

describe("juhe field key vs Node's md5", () => {
  it.each(vectors.juheKeys)("md5($openid)[0..16] = $keyText", async (v) => {
    expect(await juheKeyText(v.openid)).toBe(v.keyText);
  });

  it.each(vectors.juheKeys)("encrypts $plain exactly as Node does under $openid", async (v) => {
    expect(await encryptJuheField(await juheFieldKey(v.openid), v.plain)).toBe(v.base64);
  });
});

describe("logon vectors for the request tests", () => {
  it.each(vectors.logonVectors)("decrypt with the $key.length-char key to the JSON", async (v) => {
    const key = await importAesCbcKey(utf8.encode(v.key));
    const plain = await cbcDecrypt(key, utf8.encode(v.iv), fromBase64(v.logon)!);
    expect(JSON.parse(fromUtf8.decode(plain!))).toEqual(v.fields);
  });
});
