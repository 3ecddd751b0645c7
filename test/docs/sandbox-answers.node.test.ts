// The sandbox tables of docs/api.zh-CN.md and docs/sandbox.md are the running sandbox's answers:
// every documented row is asked again through `wrangler dev` (UPSTREAMS=sandbox) and must answer
// as recorded in docs/sandbox-answers.json, every time and in any order (issue 20, items 1 and 5).
/// <reference types="node" />
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  askAll,
  documentedRows,
  type Recorded,
  readAnswers,
  SWEEP_ACCOUNT,
  TIMING,
} from "../../docs/sandbox-answers.ts";
import { type LocalWorker, startWorker } from "../../scripts/lib/local-worker.ts";

const RERECORD = "if the new answers are right, run `npm run docs:zh -- --ask-sandbox` and commit the docs";

/** Each row's answer by phone and identity sent, so a difference names its row. */
const byRow = (recorded: readonly Recorded[]) =>
  Object.fromEntries(recorded.map(({ phone, sent, answer }) => [`${phone} ${sent}`, answer]));

describe("the documented sandbox rows", () => {
  let worker: LocalWorker;

  beforeAll(async () => {
    worker = await startWorker({ forward: SWEEP_ACCOUNT, reverse: SWEEP_ACCOUNT }, TIMING);
  }, 120_000);
  afterAll(() => worker?.stop());

  it("are exactly the rows the sandbox's identity list makes", () => {
    const rows = (list: readonly { phone: string; sent: string }[]) =>
      list.map(({ phone, sent }) => `${phone} ${sent}`);
    expect(rows(readAnswers()), `docs/sandbox-answers.json: ${RERECORD}`).toEqual(rows(documentedRows()));
  });

  it("answer as recorded, asked top to bottom", async () => {
    const answers = await askAll(worker.base, worker.accounts.forward!, documentedRows());
    expect(byRow(answers), RERECORD).toEqual(byRow(readAnswers()));
  }, 120_000);

  it("answer as recorded, asked bottom to top right after", async () => {
    const answers = await askAll(worker.base, worker.accounts.reverse!, documentedRows().reverse());
    expect(byRow(answers), RERECORD).toEqual(byRow(readAnswers()));
  }, 120_000);
});
