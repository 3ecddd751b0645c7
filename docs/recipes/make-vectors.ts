// Writes docs/recipes/vectors.json: fixed caller-side test vectors (key, iv, json → logon) made by
// Node's own crypto, independent of the Worker's WebCrypto code and of every recipe.
// Run: `npx node docs/recipes/make-vectors.ts` (prints the file when given --stdout).
// AES-CBC is deterministic for a fixed key, iv and plaintext, so running it again changes nothing.
import { createCipheriv } from "node:crypto";
import { writeFileSync } from "node:fs";

type Case = { name: string; key: string; iv: string; fields: { idCard: string; userName: string; loginphone: string } };

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
];

export type Vector = {
  name: string;
  cipher: "aes-128-cbc" | "aes-256-cbc";
  key: string;
  iv: string;
  json: string;
  logon: string;
};

export function makeVectors(): Vector[] {
  return CASES.map(({ name, key, iv, fields }) => {
    const keyBytes = Buffer.from(key, "utf8");
    const cipher = keyBytes.length === 32 ? "aes-256-cbc" : "aes-128-cbc";
    const json = JSON.stringify(fields);
    const aes = createCipheriv(cipher, keyBytes, Buffer.from(iv, "utf8"));
    const logon = Buffer.concat([aes.update(json, "utf8"), aes.final()]).toString("base64");
    return { name, cipher, key, iv, json, logon };
  });
}

export const render = (vectors: Vector[]) => `${JSON.stringify(vectors, null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = render(makeVectors());
  if (process.argv.includes("--stdout")) process.stdout.write(text);
  else writeFileSync(new URL("./vectors.json", import.meta.url), text);
}
