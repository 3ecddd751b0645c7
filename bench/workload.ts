// What each measured path sends and what it must answer. Request bodies are made with Node's own
// crypto (as a real caller would), never by the Worker's code.
import { randomBytes } from "node:crypto";
import { encryptLogon, type Fields } from "../scripts/lib/logon.ts";
import { withCheckDigit } from "../test/fixtures/identities.ts";
import type { Account } from "./server.ts";

export const VERIFY_PATH = "/api/personalInfo/verifyMobile";
export const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** Sandbox phone with a fixed answer for any valid name and ID: 200 / returnCode 10001 (matchCode 24). */
const FIXED_PHONE = "13800138009";

/** A form body with a fresh 16-character iv. */
export function formBody(account: Account, fields: Fields, logonKey = account.logonKey): string {
  const iv = randomBytes(12).toString("base64"); // 16 ASCII characters
  return new URLSearchParams({ token: account.token, iv, logon: encryptLogon(logonKey, iv, fields) }).toString();
}

const REGIONS = ["110101", "310104", "440305", "330106", "510104", "420102"];
const FIRST_BIRTH = Date.UTC(1960, 0, 1);
let serial = 0;

/** The n-th identity of this process: a distinct valid ID (region, birth date, sequence, check digit). */
export function nextIdentity(): Fields {
  const n = serial++;
  const region = REGIONS[n % REGIONS.length]!;
  const rest = Math.floor(n / REGIONS.length);
  const birth = new Date(FIRST_BIRTH + Math.floor(rest / 1000) * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replaceAll("-", "");
  const idCard = withCheckDigit(`${region}${birth}${String(rest % 1000).padStart(3, "0")}`);
  return { idCard, userName: "张三", loginphone: FIXED_PHONE };
}

/**
 * Pre-encrypted bodies, each used once, spread round-robin over the given accounts; made on the
 * spot (and counted) if the pool runs dry.
 */
export class IdentityPool {
  private bodies: string[] = [];
  private at = 0;
  made = 0;
  lateMade = 0;
  readonly accounts: Account[];
  constructor(accounts: Account[]) {
    this.accounts = accounts;
  }
  private make(i: number): string {
    return formBody(this.accounts[i % this.accounts.length]!, nextIdentity());
  }
  fill(count: number): void {
    this.bodies = Array.from({ length: count }, (_, i) => this.make(i));
    this.at = 0;
    this.made += count;
  }
  next(): string {
    if (this.at < this.bodies.length) return this.bodies[this.at++]!;
    return this.make(this.lateMade++);
  }
}

/** One measured path: how to make its requests and the one answer every response must be. */
export type Path = {
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: string | (() => string);
  expect: string;
};

/** Classifies a response: the HTTP status for non-API routes, the envelope's codes for the API. */
export function classify(status: number, body: string): string {
  if (status !== 200) return `http ${status}`;
  const code = /"errorCode":"(\d+)"/.exec(body)?.[1];
  if (!code) return /"ok":true/.test(body) ? "healthz ok" : "other";
  if (code !== "200") return code;
  return `200/${/"returnCode":"(\d+)"/.exec(body)?.[1]}${/"duplicate":true/.test(body) ? " duplicate" : ""}`;
}

/** The measured paths, in the order a run measures them. */
export const ORDER = ["floor", "verify", "duplicate", "duplicateReplay", "error"] as const;
export type PathName = (typeof ORDER)[number];

/** A new identity every request, each answered by the upstream: 200/10001. */
export const verifyPath = (pool: IdentityPool): Path => ({
  name: "verify",
  method: "POST",
  path: VERIFY_PATH,
  body: () => pool.next(),
  expect: "200/10001",
});

export function paths(reject: Account, replay: Account, pool: IdentityPool): Record<PathName, Path> {
  // One identity per duplicate path, primed once (see prime()) so every measured request repeats it.
  const repeated = nextIdentity();
  const wrongKey = randomBytes(12).toString("base64"); // 16 characters, not the account's key
  return {
    floor: { name: "floor", method: "GET", path: "/healthz", expect: "healthz ok" },
    verify: verifyPath(pool),
    duplicate: {
      name: "duplicate",
      method: "POST",
      path: VERIFY_PATH,
      body: formBody(reject, repeated),
      expect: "309",
    },
    duplicateReplay: {
      name: "duplicateReplay",
      method: "POST",
      path: VERIFY_PATH,
      body: formBody(replay, repeated),
      expect: "200/10001 duplicate",
    },
    error: {
      name: "error",
      method: "POST",
      path: VERIFY_PATH,
      body: formBody(reject, repeated, wrongKey),
      expect: "307",
    },
  };
}

export const headersFor = (path: Path) => (path.method === "POST" ? FORM : {});

/** Sends a duplicate path's identity once, so that its measured requests are all repeats. */
export async function prime(base: URL, path: Path): Promise<void> {
  const response = await fetch(new URL(path.path, base), { method: "POST", headers: FORM, body: path.body as string });
  const answer = classify(response.status, await response.text());
  if (answer !== "200/10001") throw new Error(`priming ${path.name} answered ${answer}, expected 200/10001`);
}
