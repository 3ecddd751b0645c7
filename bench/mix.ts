// The soak's mixed load (bench/soak.ts, test/verify-mobile/request-contexts.node.test.ts): billable
// answers, duplicates, decryption failures (307), invalid IDs (310), per-person budget and rate-limit
// refusals over several accounts, some callers hanging up mid-request; and the runtime's complaints
// about work shared across requests, which workerd cancels in production.
import { randomBytes } from "node:crypto";
import { buildAccount } from "../scripts/account/records.ts";
import { accountKey, tokenEntry, tokenKey } from "../src/accounts/record.ts";
import type { Account, LogLine, Worker } from "./server.ts";
import { classify, formBody, nextIdentity, VERIFY_PATH } from "./workload.ts";

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

type Limits = { rateLimit: number | null; subjectBudget: number; duplicatePolicy: "reject" | "replay" };

/** An account written as the account command writes it, with the given limits. */
async function seed(worker: Worker, name: string, settings: Limits): Promise<Account> {
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
/** No limit in the way: the mix's identities all share one phone (workload.ts). */
const OPEN: Limits = { rateLimit: null, subjectBudget: 10_000, duplicatePolicy: "reject" };

export class Mix {
  readonly answers: Record<string, number> = {};
  sent = 0;
  private readonly repeated = nextIdentity();
  private readonly worker: Worker;
  private readonly accounts: Record<"reject" | "replay" | "failing" | "limited" | "budgeted", Account>;

  private constructor(worker: Worker, accounts: Mix["accounts"]) {
    this.worker = worker;
    this.accounts = accounts;
  }

  /**
   * Two accounts without limits in the way (one replays duplicates); one that only ever sends the
   * wrong key (its failure budget runs out), one limited to 2 requests/s and one with the default
   * per-person budget.
   */
  static async seed(worker: Worker): Promise<Mix> {
    const [reject, replay, failing, limited, budgeted] = await Promise.all([
      seed(worker, "Mix reject", OPEN),
      seed(worker, "Mix replay", { ...OPEN, duplicatePolicy: "replay" }),
      seed(worker, "Mix failing", OPEN),
      seed(worker, "Mix limited", { ...OPEN, rateLimit: 2 }),
      seed(worker, "Mix budgeted", { ...OPEN, subjectBudget: 10 }),
    ]);
    return new Mix(worker, {
      reject: reject!,
      replay: replay!,
      failing: failing!,
      limited: limited!,
      budgeted: budgeted!,
    });
  }

  /** The n-th request of the mix: which account, and what it sends. */
  private body(n: number): string {
    const open = n % 2 === 0 ? this.accounts.reject : this.accounts.replay;
    const roll = n % 20;
    if (roll < 10) return formBody(open, nextIdentity()); // 200
    if (roll < 12) return formBody(open, this.repeated); // 309 or a replay
    if (roll < 15) return formBody(this.accounts.failing, nextIdentity(), randomBytes(12).toString("base64")); // wrong key: 307
    if (roll < 17) return formBody(open, { ...nextIdentity(), idCard: "110101199003074515" }); // check digit: 310
    if (roll < 18) return formBody(this.accounts.limited, nextIdentity()); // 200, or 502 past 2/s
    // Ever new names with one phone and ID: the per-person budget (309) after the first ten.
    return formBody(this.accounts.budgeted, {
      ...this.repeated,
      userName: `张${String.fromCharCode(0x4e00 + (n % 2000))}`,
    });
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
      if ((this.sent - first) % (rate * 30) === 0) progress(this.sent - first);
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
