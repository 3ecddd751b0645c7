// Runs in Node, outside workerd: makes crypto vectors with Node's own `crypto`, so the Worker's
// WebCrypto code is checked against an independent implementation (see test/crypto/).
/// <reference types="node" />
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from "node:crypto";
import type { TestProject } from "vitest/node";
import type { AesVectors, CbcVector, EcbVector, LogonVector } from "./support/aes-vectors.ts";

const TEXTS = [
  "张三",
  "阿依古丽·买买提",
  "110101199003071233",
  "13800138000",
  "王五 Smith",
  "一二三四五六七八九十一二三四五六",
];

/** Plaintexts: random bytes of every length 0..50 (block multiples included) and UTF-8 texts. */
function plaintexts(): Buffer[] {
  const random = Array.from({ length: 51 }, (_, n) => randomBytes(n));
  return [...random, ...TEXTS.map((t) => Buffer.from(t, "utf8"))];
}

function encrypt(algorithm: string, key: Buffer, iv: Buffer | null, plain: Buffer): Buffer {
  const cipher = createCipheriv(algorithm, key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

/** A key under which Node's own padding check rejects the ciphertext (a wrong key sometimes passes). */
function failingKey(algorithm: string, bytes: number, iv: Buffer, cipherText: Buffer): Buffer {
  for (;;) {
    const key = randomBytes(bytes);
    const decipher = createDecipheriv(algorithm, key, iv);
    try {
      decipher.update(cipherText);
      decipher.final();
    } catch {
      return key;
    }
  }
}

function ecbVectors(): EcbVector[] {
  return plaintexts().map((plain) => {
    const key = randomBytes(16);
    return {
      keyHex: key.toString("hex"),
      plainHex: plain.toString("hex"),
      cipherHex: encrypt("aes-128-ecb", key, null, plain).toString("hex"),
    };
  });
}

/** Raw ECB of blocks whose last byte is no valid PKCS#7 padding: 0x00, 0x11, and 0x02 after 0x03. */
function ecbBadPadding(): AesVectors["ecbBadPadding"] {
  const lastBlocks = [
    Buffer.alloc(16, 0),
    Buffer.alloc(16, 0x11),
    Buffer.concat([Buffer.alloc(14, 0x41), Buffer.from([3, 2])]),
  ];
  return lastBlocks.map((block) => {
    const key = randomBytes(16);
    const cipher = createCipheriv("aes-128-ecb", key, null).setAutoPadding(false);
    const data = Buffer.concat([randomBytes(16), block]);
    return {
      keyHex: key.toString("hex"),
      cipherHex: Buffer.concat([cipher.update(data), cipher.final()]).toString("hex"),
    };
  });
}

function cbcVectors(algorithm: "aes-128-cbc" | "aes-256-cbc", keyBytes: number): CbcVector[] {
  return plaintexts().map((plain) => {
    const key = randomBytes(keyBytes);
    const iv = randomBytes(16);
    const cipherText = encrypt(algorithm, key, iv, plain);
    return {
      keyHex: key.toString("hex"),
      ivHex: iv.toString("hex"),
      plainHex: plain.toString("hex"),
      cipherHex: cipherText.toString("hex"),
      wrongKeyHex: failingKey(algorithm, keyBytes, iv, cipherText).toString("hex"),
    };
  });
}

function juheKeys(): AesVectors["juheKeys"] {
  const openids = ["sandbox-openid", "JHc8f3a0b1d2e4", `openid-${randomBytes(8).toString("hex")}`];
  return openids.map((openid, i) => {
    const keyText = createHash("md5").update(openid, "utf8").digest("hex").slice(0, 16);
    const plain = TEXTS[i % TEXTS.length]!;
    const base64 = encrypt("aes-128-ecb", Buffer.from(keyText, "utf8"), null, Buffer.from(plain, "utf8")).toString(
      "base64",
    );
    return { openid, keyText, plain, base64 };
  });
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const randomText = (length: number) =>
  Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");

/** Caller-side `logon` values, made the way a Java/Node caller would (docs/contract.md §1). */
function logonVectors(): LogonVector[] {
  const people = [
    { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" },
    { idCard: "650102199208150041", userName: "阿依古丽·买买提", loginphone: "13800138002" },
  ];
  return [16, 32].flatMap((keyLength) =>
    people.map((fields) => {
      const key = randomText(keyLength);
      const iv = randomText(16);
      const json = JSON.stringify(fields);
      const algorithm = keyLength === 16 ? "aes-128-cbc" : "aes-256-cbc";
      const logon = encrypt(
        algorithm,
        Buffer.from(key, "utf8"),
        Buffer.from(iv, "utf8"),
        Buffer.from(json, "utf8"),
      ).toString("base64");
      return { key, iv, fields, json, logon };
    }),
  );
}

export default function setup(project: TestProject) {
  const vectors: AesVectors = {
    ecb: ecbVectors(),
    ecbBadPadding: ecbBadPadding(),
    cbc128: cbcVectors("aes-128-cbc", 16),
    cbc256: cbcVectors("aes-256-cbc", 32),
    juheKeys: juheKeys(),
    logonVectors: logonVectors(),
  };
  project.provide("aesVectors", vectors);
}
