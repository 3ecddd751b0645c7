// The sandbox tables of docs/api.zh-CN.md (Chinese) and docs/sandbox.md (English), made from the
// recorded answers of the running sandbox (docs/sandbox-answers.json), row for row as the identity
// list gives them (docs/sandbox-answers.ts). What each special phone simulates is said from the
// identity list; what the caller gets is only ever the recording.
import {
  SANDBOX_ERROR_PHONE,
  SANDBOX_FIXED_ANSWERS,
  SANDBOX_PEOPLE,
  SANDBOX_TRANSPORT_FAILURES,
  type SandboxTransportFailure,
} from "../src/sandbox/identities.ts";
import { ERROR_CODES, type ErrorCode, RETURN_CODES, type ReturnCode } from "../src/wire/codes.ts";
import { type Answer, documentedRows, type Recorded, type Row, type Sent, UNKNOWN_PHONE } from "./sandbox-answers.ts";

type Language = "zh" | "en";

const WORDS = {
  zh: {
    people: ["loginphone", "userName", "idCard", "本人信息", "姓名错", "身份证号错", "两者都错"],
    special: ["loginphone", "userName、idCard", "沙箱模拟", "返回"],
    anyValid: "任意合法",
    comma: "，",
    matchCode: "matchCode",
    deadline: "（在 `UPSTREAM_DEADLINE_MS` 到时返回）",
    fixed: (res: number, rescode: string | null) => `运营商返回 res ${res}${rescode ? `、rescode ${rescode}` : ""}`,
    juhe: (code: string) => `聚合数据返回错误码 ${code}（腾讯云返回含义相同的码）`,
    transport: {
      hang: "上游一直无响应",
      http500: "上游返回 HTTP 500",
      notJson: "上游返回非 JSON",
      networkError: "上游网络不通",
    },
    unknown: "库中没有的号码",
  },
  en: {
    people: ["loginphone", "userName", "idCard", "own identity", "wrong name", "wrong ID", "both wrong"],
    special: ["loginphone", "userName, idCard", "what the sandbox simulates", "answer"],
    anyValid: "any valid",
    comma: ", ",
    matchCode: "matchCode",
    deadline: " (at `UPSTREAM_DEADLINE_MS`)",
    fixed: (res: number, rescode: string | null) =>
      `the carrier says res ${res}${rescode ? `, rescode ${rescode}` : ""}`,
    juhe: (code: string) => `juhe answers error_code ${code} (Tencent its equivalent)`,
    transport: {
      hang: "no upstream ever answers",
      http500: "HTTP 500 from every upstream",
      notJson: "a non-JSON body from every upstream",
      networkError: "every upstream unreachable",
    },
    unknown: "a number nobody registered",
  },
} as const;
WORDS satisfies Record<Language, { readonly transport: Record<SandboxTransportFailure, string> }>;

const table = (head: readonly string[], rows: string[][]) =>
  [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`),
  ].join("\n");

/** What the caller got, in a cell: the codes, the match detail and the carrier of a 200. */
function answerText(answer: Answer, language: Language): string {
  const words = WORDS[language];
  if (answer.errorCode === "200") {
    const result = RETURN_CODES[answer.returnCode as ReturnCode];
    const match = answer.matchCode ? `${words.comma}${words.matchCode} \`${answer.matchCode}\`` : "";
    return `\`${answer.returnCode}\` ${result}${match}${words.comma}\`${answer.carrier ?? "null"}\``;
  }
  const text = ERROR_CODES[answer.errorCode as ErrorCode]?.text ?? "";
  return `\`${answer.errorCode}\` ${text}${answer.afterDeadline ? words.deadline : ""}`;
}

/** What a special phone simulates, from the identity list. */
function simulated(phone: string, language: Language): string {
  const words = WORDS[language];
  if (phone in SANDBOX_FIXED_ANSWERS) {
    const { res, rescode } = SANDBOX_FIXED_ANSWERS[phone as keyof typeof SANDBOX_FIXED_ANSWERS];
    return words.fixed(res, rescode);
  }
  if (phone in SANDBOX_TRANSPORT_FAILURES) {
    return words.transport[SANDBOX_TRANSPORT_FAILURES[phone as keyof typeof SANDBOX_TRANSPORT_FAILURES]];
  }
  const juhe = SANDBOX_ERROR_PHONE.exec(phone)?.[1];
  if (juhe) return words.juhe(String(Number(juhe)));
  if (phone === UNKNOWN_PHONE) return words.unknown;
  throw new Error(`${phone}: the identity list says nothing about this phone`);
}

/** The recorded answer of a row; throws, naming the row, when the recording lacks it. */
function answerOf(recorded: readonly Recorded[], row: Row): Answer {
  const found = recorded.find((r) => r.phone === row.phone && r.sent === row.sent);
  if (!found || found.userName !== row.userName || found.idCard !== row.idCard) {
    throw new Error(
      `docs/sandbox-answers.json has no answer for ${row.phone} (${row.sent}): run npm run docs:zh -- --ask-sandbox`,
    );
  }
  return found.answer;
}

/** Both tables: registered subscribers (their own identity and three wrong ones), then special phones. */
export function sandboxTables(recorded: readonly Recorded[], language: Language): string {
  const words = WORDS[language];
  const rows = documentedRows();
  const sentOrder: Sent[] = ["own", "wrongName", "wrongId", "bothWrong"];
  const people = SANDBOX_PEOPLE.map((person) => [
    person.phone,
    person.name,
    person.idCard,
    ...sentOrder.map((sent) =>
      answerText(answerOf(recorded, rows.find((r) => r.phone === person.phone && r.sent === sent)!), language),
    ),
  ]);
  const special = rows
    .filter((row) => row.sent === "anyValid")
    .map((row) => [
      row.phone,
      words.anyValid,
      simulated(row.phone, language),
      answerText(answerOf(recorded, row), language),
    ]);
  return `${table(words.people, people)}\n\n${table(words.special, special)}`;
}
