// What the sandbox really answers, row by row, for the tables of docs/api.zh-CN.md and
// docs/sandbox.md. The rows come from the sandbox's identity list (src/sandbox/identities.ts);
// the answers are recorded from a running `wrangler dev` with UPSTREAMS=sandbox, never written by
// hand, into docs/sandbox-answers.json (`npm run docs:zh -- --ask-sandbox` records them again).
// test/docs/sandbox-answers.node.test.ts asks the running sandbox every row, in the documented
// order and in reverse, and fails when an answer differs from the recording.
/// <reference types="node" />
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startWorker } from "../scripts/lib/local-worker.ts";
import { encryptLogon } from "../scripts/lib/logon.ts";
import {
  SANDBOX_ERROR_PHONE,
  SANDBOX_FIXED_ANSWERS,
  SANDBOX_PEOPLE,
  SANDBOX_TRANSPORT_FAILURES,
} from "../src/sandbox/identities.ts";

export const ANSWERS_PATH = fileURLToPath(new URL("sandbox-answers.json", import.meta.url));

/** Which identity a row sends with its phone. */
export type Sent = "own" | "wrongName" | "wrongId" | "bothWrong" | "anyValid";

export type Row = {
  readonly phone: string;
  readonly sent: Sent;
  readonly userName: string;
  readonly idCard: string;
};

/** What the caller sees: the envelope's codes, and whether the answer waited for the deadline. */
export type Answer = {
  readonly errorCode: string;
  readonly returnCode: string;
  readonly matchCode: string | null;
  readonly carrier: string | null;
  readonly afterDeadline: boolean;
};

export type Recorded = Row & { readonly answer: Answer };

// juhe codes shown as 13900XXXXXX examples: no record, not Telecom, and the faults in juhe's table.
const ERROR_PHONE_EXAMPLES = [227303, 227304, 10001, 10012, 10020, 227301];
/** A number no sandbox list names: the unknown-number answer. */
export const UNKNOWN_PHONE = "13812345678";

// The recording's timing: the deadline is shorter than two timeouts, so an answer that waited for
// the deadline is told apart from one that waited for a single timeout.
export const TIMING = { UPSTREAM_TIMEOUT_MS: "400", UPSTREAM_DEADLINE_MS: "600" } as const;
const DEADLINE_TOLERANCE_MS = 50;

/** Every documented row, in the order the tables show them. */
export function documentedRows(): Row[] {
  const someone = SANDBOX_PEOPLE[0];
  const rows: Row[] = [];
  SANDBOX_PEOPLE.forEach((person, index) => {
    // A wrong name or ID is another subscriber's: valid in shape and value, so only the match fails.
    const other = SANDBOX_PEOPLE[(index + 1) % SANDBOX_PEOPLE.length]!;
    rows.push(
      { phone: person.phone, sent: "own", userName: person.name, idCard: person.idCard },
      { phone: person.phone, sent: "wrongName", userName: other.name, idCard: person.idCard },
      { phone: person.phone, sent: "wrongId", userName: person.name, idCard: other.idCard },
      { phone: person.phone, sent: "bothWrong", userName: other.name, idCard: other.idCard },
    );
  });
  const anyValid = (phone: string): Row => ({
    phone,
    sent: "anyValid",
    userName: someone.name,
    idCard: someone.idCard,
  });
  const errorPhones = ERROR_PHONE_EXAMPLES.map((code) => `13900${String(code).padStart(6, "0")}`);
  for (const phone of errorPhones) {
    if (!SANDBOX_ERROR_PHONE.test(phone)) throw new Error(`${phone} is no longer an error phone of the sandbox`);
  }
  rows.push(
    ...Object.keys(SANDBOX_FIXED_ANSWERS).map(anyValid),
    ...errorPhones.map(anyValid),
    ...Object.keys(SANDBOX_TRANSPORT_FAILURES).map(anyValid),
    anyValid(UNKNOWN_PHONE),
  );
  return rows;
}

/** Sends one row as the account and reads the envelope. */
async function ask(base: string, account: { token: string; logonKey: string }, row: Row): Promise<Answer> {
  const iv = randomBytes(8).toString("hex");
  const logon = encryptLogon(account.logonKey, iv, {
    idCard: row.idCard,
    userName: row.userName,
    loginphone: row.phone,
  });
  const started = Date.now();
  const response = await fetch(`${base}/api/personalInfo/verifyMobile`, {
    method: "POST",
    body: new URLSearchParams({ token: account.token, iv, logon }),
    signal: AbortSignal.timeout(30_000),
  });
  const envelope = (await response.json()) as {
    errorCode: string;
    returnCode: string;
    info: { matchCode: string | null; carrier: string | null } | null;
  };
  return {
    errorCode: envelope.errorCode,
    returnCode: envelope.returnCode,
    matchCode: envelope.info?.matchCode ?? null,
    carrier: envelope.info?.carrier ?? null,
    afterDeadline: Date.now() - started >= Number(TIMING.UPSTREAM_DEADLINE_MS) - DEADLINE_TOLERANCE_MS,
  };
}

/** Flags of an account that no limit of its own stops during a sweep. */
export const SWEEP_ACCOUNT = ["--rate-limit", "none", "--subject-budget", "10000"];

/** Asks every row, one after the other, as the account. */
export async function askAll(
  base: string,
  account: { token: string; logonKey: string },
  rows: readonly Row[],
): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  for (const row of rows) recorded.push({ ...row, answer: await ask(base, account, row) });
  return recorded;
}

export function readAnswers(): Recorded[] {
  return JSON.parse(readFileSync(ANSWERS_PATH, "utf8")) as Recorded[];
}

/** Starts the sandbox, asks every documented row, writes docs/sandbox-answers.json. */
export async function recordAnswers(): Promise<void> {
  const worker = await startWorker({ sweep: SWEEP_ACCOUNT }, TIMING);
  try {
    const recorded = await askAll(worker.base, worker.accounts.sweep!, documentedRows());
    writeFileSync(ANSWERS_PATH, `${JSON.stringify(recorded, null, 2)}\n`);
  } finally {
    worker.stop();
  }
}
