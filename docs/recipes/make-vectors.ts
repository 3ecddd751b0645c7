// Writes docs/recipes/vectors.json: fixed caller-side test vectors (key, iv, json → logon) made by
// Node's own crypto, independent of the Worker's WebCrypto code and of every recipe.
// Run: `npx node docs/recipes/make-vectors.ts` (prints the file when given --stdout).
// Every cipher here is deterministic for a fixed key, iv and plaintext, so running it again changes
// nothing. `mode` is the account's cipher (docs/contract.md §1), `cipher` OpenSSL's name for it.
import { createCipheriv } from "node:crypto";
import { writeFileSync } from "node:fs";

type Mode = "aes-cbc" | "aes-gcm" | "sm4-cbc";
type Case = {
  name: string;
  mode?: Mode;
  key: string;
  iv: string;
  fields: { idCard: string; userName: string; loginphone: string };
};

const CASES: Case[] = [
  {
    name: "AES-128, the README's demo key and iv, 张三",
    key: "demo-logon-key16",
    iv: "abcdefghijklmnop",
    fields: { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" },
  },
  {
    name: "AES-128, minority name with a middle dot (U+00B7, two UTF-8 bytes)",
    key: "Kq8wZ3mN5pR7tV9x",
    iv: "0123456789abcdef",
    fields: { idCard: "650102199208150041", userName: "阿依古丽·买买提", loginphone: "13800138002" },
  },
  {
    name: "AES-128, Latin name, JSON of exactly 80 bytes: PKCS#7 adds a whole block of 0x10",
    key: "Latin-name-key16",
    iv: "IV0000000000full",
    fields: { idCard: "110101199003071233", userName: "Anna Lee", loginphone: "13800138000" },
  },
  {
    name: "AES-256, 王五, ID with check character X",
    key: "demo-logon-key32-aes256-abcdefgh",
    iv: "pOnMlKjIhGfEdCbA",
    fields: { idCard: "44030519780101777X", userName: "王五", loginphone: "13800138004" },
  },
  {
    name: "AES-256, 李四",
    key: "0123456789ABCDEFGHIJKLMNOPQRSTUV",
    iv: "ZYXWVUTSRQPONMLK",
    fields: { idCard: "310104198512240025", userName: "李四", loginphone: "13800138001" },
  },
  {
    name: "AES-128-GCM, 12-character iv, 张三",
    mode: "aes-gcm",
    key: "demo-logon-key16",
    iv: "abcdefghijkl",
    fields: { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" },
  },
  {
    name: "AES-256-GCM, minority name with a middle dot",
    mode: "aes-gcm",
    key: "demo-logon-key32-aes256-abcdefgh",
    iv: "0123456789ab",
    fields: { idCard: "650102199208150041", userName: "阿依古丽·买买提", loginphone: "13800138002" },
  },
  {
    name: "SM4-CBC, 王五",
    mode: "sm4-cbc",
    key: "sm4-logon-key-16",
    iv: "pOnMlKjIhGfEdCbA",
    fields: { idCard: "44030519780101777X", userName: "王五", loginphone: "13800138004" },
  },
  {
    name: "SM4-CBC, Latin name, JSON of exactly 80 bytes",
    mode: "sm4-cbc",
    key: "Latin-name-key16",
    iv: "IV0000000000full",
    fields: { idCard: "110101199003071233", userName: "Anna Lee", loginphone: "13800138000" },
  },
];

export type Vector = {
  name: string;
  mode: Mode;
  cipher: "aes-128-cbc" | "aes-256-cbc" | "aes-128-gcm" | "aes-256-gcm" | "sm4-cbc";
  key: string;
  iv: string;
  json: string;
  logon: string;
};

export function makeVectors(): Vector[] {
  return CASES.map(({ name, mode = "aes-cbc", key, iv, fields }) => {
    const keyBytes = Buffer.from(key, "utf8");
    const json = JSON.stringify(fields);
    if (mode === "aes-gcm") {
      const cipher = keyBytes.length === 32 ? "aes-256-gcm" : "aes-128-gcm";
      const gcm = createCipheriv(cipher, keyBytes, Buffer.from(iv, "utf8"), { authTagLength: 16 });
      const logon = Buffer.concat([gcm.update(json, "utf8"), gcm.final(), gcm.getAuthTag()]).toString("base64");
      return { name, mode, cipher, key, iv, json, logon };
    }
    const cipher = mode === "sm4-cbc" ? "sm4-cbc" : keyBytes.length === 32 ? "aes-256-cbc" : "aes-128-cbc";
    const cbc = createCipheriv(cipher, keyBytes, Buffer.from(iv, "utf8"));
    const logon = Buffer.concat([cbc.update(json, "utf8"), cbc.final()]).toString("base64");
    return { name, mode, cipher, key, iv, json, logon };
  });
}

export const render = (vectors: Vector[]) => `${JSON.stringify(vectors, null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = render(makeVectors());
  if (process.argv.includes("--stdout")) process.stdout.write(text);
  else writeFileSync(new URL("./vectors.json", import.meta.url), text);
}
