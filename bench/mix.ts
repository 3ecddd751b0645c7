// The soak's mixed load (bench/soak.ts, test/verify-mobile/request-contexts.node.test.ts): billable
// answers, duplicates, decryption failures (307), invalid IDs (310), per-person budget and rate-limit
// refusals over several accounts, some callers hanging up mid-request; and the runtime's complaints
// about work shared across requests, which workerd cancels in production.
import { randomBytes } from "node:crypto";
import { accountKey, tokenEntry, tokenKey } from "../src/accounts/record.ts";
import { buildAccount } from "../scripts/account/records.ts";
import type { Account, LogLine, Worker } from "./server.ts";
import { VERIFY_PATH, classify, formBody, nextIdentity } from "./workload.ts";

export const CROSS_CONTEXT = /Promise will never complete|different request context|hung/i;

/** Counts the runtime's log lines, and those that say a request awaited another request's work. */
export class LogCounter {
  total = 0;
  problems = 0;
  readonly samples: string[] = [];
  readonly onLog = ({ message }: LogLine): void => {
    this.total++;
    if (!CROSS_CONTEXT.test(message)) return;
    this.problems++;
    if (this.samples.length < 5) this.samples.push(message.slice(0, 300));
  };
}

/** An account written as the account command writes it, with the given limits. */
async function seed(worker: Worker, name: string, settings: { rateLimit: number | null; duplicatePolicy: "reject" | "replay" }): Promise<Account> {
  const { record, token, logonKey } = await buildAccount({
    settings: { name, services: ["verifyMobile"], dedupTtl: 60, ...settings },
    keyLength: 16,
    secret: worker.secret,
    now: new Date(),
  });
  const kv = await worker.mf.getKVNamespace("ACCOUNTS", "bench");
  await kv.put(tokenKey(record.tokenHash), JSON.stringify(tokenEntry(record)));
  await kv.put(accountKey(record.id), JSON.stringify(record));
  return { id: record.id, token, logonKey };
}

/** Share of callers that hang up a few milliseconds after sending. */
const HANG_UP = 0.03;

export class Mix {
  readonly answers: Record<string, number> = {};
  sent = 0;
  private readonly repeated = nextIdentity();
  private readonly worker: Worker;
  private readonly accounts: Account[];

  private constructor(worker: Worker, accounts: Account[]) {
    this.worker = worker;
    this.accounts = accounts;
  }

  /** Three accounts without a rate limit (one replays duplicates) and one limited to 5 requests/s. */
  static async seed(worker: Worker): Promise<Mix> {
    const open = await Promise.all([1, 2, 3].map((n) => seed(worker, `Mix ${n}`, { rateLimit: null, duplicatePolicy: n === 2 ? "replay" : "reject" })));
    return new Mix(worker, [...open, await seed(worker, "Mix limited", { rateLimit: 5, duplicatePolicy: "reject" })]);
  }

  /** The n-th request of the mix: which account, and what it sends. */
  private body(n: number): string {
    const account = this.accounts[n % this.accounts.length]!;
    const roll = n % 20;
    if (roll < 12) return formBody(account, nextIdentity());
    if (roll < 14) return formBody(account, this.repeated); // 309 or a replay
    if (roll < 17) return formBody(account, nextIdentity(), randomBytes(12).toString("base64")); // wrong key: 307
    if (roll < 19) return formBody(account, { ...nextIdentity(), idCard: "110101199003074515" }); // check digit: 310
    // Ever new names with one phone and ID: the per-person budget (309) after the first few.
    return formBody(account, { ...this.repeated, userName: `张${String.fromCharCode(0x4e00 + (n % 2000))}` });
  }

  /**
   * Paced load for `ms`: request n leaves at start + n / rate, unless `connections` are already in
   * flight. `progress` is called every 30 s.
   */
  async run(ms: number, rate: number, connections: number, progress: (sent: number) => void = () => {}): Promise<void> {
    const started = Date.now();
    const first = this.sent;
    const running = new Set<Promise<void>>();
    while (Date.now() < started + ms) {
      const due = started + ((this.sent - first) * 1000) / rate;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      if (running.size >= connections) {
        await Promise.race(running);
        continue;
      }
      const request = this.send(this.sent++).finally(() => running.delete(request));
      running.add(request);
      if ((this.sent - first) % (rate * 5) === 0) progress(this.sent - first);
    }
    await Promise.all(running);
  }

  private async send(n: number): Promise<void> {
    const abort = new AbortController();
    const hangUp = Math.random() < HANG_UP;
    if (hangUp) setTimeout(() => abort.abort(), 1 + Math.random() * 5);
    let answer: string;
    try {
      const response = await fetch(new URL(VERIFY_PATH, this.worker.url), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: this.body(n),
        signal: abort.signal,
      });
      answer = classify(response.status, await response.text());
    } catch {
      answer = hangUp ? "hung up" : "transport error";
    }
    this.answers[answer] = (this.answers[answer] ?? 0) + 1;
  }
}
