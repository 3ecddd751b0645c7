// The soak's mixed load (bench/soak.ts, test/verify-mobile/request-contexts.node.test.ts): billable
// answers, duplicates, decryption failures (307), invalid IDs (310), per-person budget and rate-limit
// refusals over several accounts, some callers hanging up mid-request; and the runtime's complaints
// about work shared across requests, which workerd cancels in production.
import { randomBytes } from "node:crypto";
import { type Account, type LogLine, OPEN, seedAccount, type Worker } from "./server.ts";
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

/** Share of callers that hang up a few milliseconds after sending. */
const HANG_UP = 0.03;

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
      seedAccount(worker, "Mix reject", "reject"),
      seedAccount(worker, "Mix replay", "replay"),
      seedAccount(worker, "Mix failing", "reject"),
      seedAccount(worker, "Mix limited", "reject", { ...OPEN, rateLimit: 2 }),
      seedAccount(worker, "Mix budgeted", "reject", { ...OPEN, subjectBudget: 10 }),
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
