// `npm run docs:zh`: rewrites the generated parts of docs/api.zh-CN.md (the caller's guide in
// Chinese) from the code itself: the code table from src/wire/codes.ts with each code's cause and
// advice below, the business results, the account ciphers from src/crypto/cipher.ts, and the sandbox
// table, with docs/sandbox.md's in English, from what the running sandbox answered
// (docs/sandbox-answers.json; `-- --ask-sandbox` asks again).
// Everything between a BEGIN and its END marker is replaced; the prose around them is kept.
// test/docs/api-zh.node.test.ts fails when the file is not what this script would write.
/// <reference types="node" />
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RESERVATION_MARGIN_MS } from "../src/billing/horizon.ts";
import { CIPHERS, type Cipher, DEFAULT_CIPHER, IV_BYTES, KEY_LENGTHS } from "../src/crypto/cipher.ts";
import { ERROR_CODES, type ErrorCode, RETURN_CODES } from "../src/wire/codes.ts";
import { readAnswers, recordAnswers } from "./sandbox-answers.ts";
import { sandboxTables } from "./sandbox-table.ts";

export const GUIDE_PATH = fileURLToPath(new URL("api.zh-CN.md", import.meta.url));
export const SANDBOX_PAGE_PATH = fileURLToPath(new URL("sandbox.md", import.meta.url));

type Guide = { readonly 原因: string; readonly 处理建议: string };

/** Every code's cause and what the caller should do, for callers reading Chinese. */
export const CODE_GUIDE = {
  "200": {
    原因: "运营商给出了核验结果，见 `returnCode`（一致 / 不一致 / 未知）与 `info.matchCode`",
    处理建议: "按 `returnCode` 处理；`info.billable` 表示本次是否计费",
  },
  "103": { 原因: "账户已下线（停用）", 处理建议: "联系运营方确认账户状态；下线账户的 token 不再可用" },
  "104": { 原因: "令牌校验时账户余额 ≤ 0", 处理建议: "联系运营方充值；充值后几秒内恢复，期间不要反复重试" },
  "105": {
    原因: "token 不存在：拼写或格式不对（应为 `vmt_` 加 32 个字符），或已被轮换、停用",
    处理建议: "核对配置中的 token（不要带空格、换行或引号）；轮换后旧 token 立即失效，请向运营方索取新 token",
  },
  "301": {
    原因: "token、iv、logon 三个参数都没有收到，或请求体无法解析",
    处理建议: "确认以表单或 JSON 发送了请求体，且 `Content-Type` 与请求体一致",
  },
  "302": { 原因: "token 对应的账户已不存在", 处理建议: "联系运营方" },
  "304": { 原因: "账户已被冻结", 处理建议: "联系运营方解冻" },
  "305": {
    原因: "账户未开通本接口，或请求的 `/api/` 路径不存在，或请求来源 IP 不在账户的 IP 白名单内（`errorReason` 说明是哪一种）",
    处理建议: "核对路径 `/api/personalInfo/verifyMobile`；需要开通或登记服务器出口 IP 请联系运营方",
  },
  "306": {
    原因: "`{name}` 所指的参数缺失或格式不符：请求体的 token、iv、logon、requestId、sign，或 logon 里的 idCard、userName、loginphone（后者仅对 aes-gcm、要求签名或开启诊断的账户单独指出，见第 3 节）；`errorReason` 说明违反的规则",
    处理建议: "按本文“请求参数”“logon 里的字段”两节修正；iv 须恰为 16 个字节（aes-gcm 账户 12 个）",
  },
  "307": {
    原因: "logon 无法用账户的 logonKey 和本次的 iv 解密，或解密结果不是 JSON 对象；签名 sign 不对；未签名的 CBC 账户（未开诊断）的 logon 字段不合格也答此码（防止篡改探测，见第 3 节）",
    处理建议:
      "按 `errorReason` 的提示检查：logonKey、加密与发送用同一个 iv、base64（不是十六进制，不要编码两次）、AES/CBC/PKCS5Padding；先用 `docs/recipes/vectors.json` 的向量自测；iv 不对、密钥长度不对等提示需要运营方为账户打开诊断（见第 6 节“解密诊断”）",
  },
  "308": { 原因: "运营商库中没有这个号码的记录", 处理建议: "请用户核对手机号；不计费" },
  "309": {
    原因: "同一账户在重复窗口内（默认 60 秒）再次查询同一身份；同一身份的请求正在处理中；或一个手机号、身份证号在 24 小时内被核验的不同身份过多（防枚举）",
    处理建议:
      "使用第一次的结果（`errorReason` 给出原订单号）；确需重查请在窗口过后再发；网络重试请带同一个 `requestId`，会拿到原结果",
  },
  "310": {
    原因: "格式正确但取值不可能：身份证校验位错、出生日期不存在或地区码未知；或运营商判定号码、姓名、身份证不合法",
    处理建议: "请用户核对身份信息后再提交；不计费",
  },
  "311": { 原因: "账户没有开通任何服务", 处理建议: "联系运营方开通" },
  "312": { 原因: "账户余额（扣除处理中请求的预留）低于本接口单价", 处理建议: "联系运营方充值" },
  "313": { 原因: "本接口剩余次数为 0", 处理建议: "联系运营方增加次数" },
  "314": { 原因: "账户合同已过截止日（截止日当天仍有效，北京时间）", 处理建议: "联系运营方续约" },
  "315": {
    原因: "`Content-Type` 缺失或不支持、请求体超过 64 KiB、10 秒内未收完请求体，或用了 POST 以外的方法",
    处理建议:
      "用 POST，`Content-Type` 为 `application/x-www-form-urlencoded`、`multipart/form-data` 或 `application/json`",
  },
  "500": { 原因: "服务端故障（包括上游密钥配置错误）", 处理建议: "不计费；记下 `X-Order-No` 联系运营方，稍后再试" },
  "501": {
    原因: "上游在时限内没有响应：每个上游最多等 `UPSTREAM_TIMEOUT_MS`（默认 5 秒），全部上游合计不超过 `UPSTREAM_DEADLINE_MS`（默认 10 秒）",
    处理建议: "不计费，可立即重试（每次换新 iv，带同一个 `requestId`）；客户端超时请设得比 10 秒长",
  },
  "502": {
    原因: "上游 HTTP 错误、响应异常或上游限流；或本账户超过每秒请求上限（此时带 `Retry-After` 头）",
    处理建议: "不计费，可重试；有 `Retry-After` 时等待相应秒数后再发",
  },
  "503": {
    原因: "上游无法连接、维护中或已停用；或可用的上游近期故障率过高而暂停调用（熔断），此时 `errorReason` 写明是哪个上游、几秒后再试；或账户服务暂时繁忙（此时带 `Retry-After` 头）",
    处理建议:
      "不计费，可重试；熔断时按 `errorReason` 给出的秒数等待，有 `Retry-After` 时等待相应秒数后再发；持续出现请联系运营方",
  },
  "504": { 原因: "上游网络异常、内部错误或返回了未知错误码", 处理建议: "不计费，可立即重试（每次换新 iv）" },
} as const satisfies Record<ErrorCode, Guide>;

/** The client libraries' families (client/index.ts, VerifyMobileClient.java), in Chinese. */
function familyOf(code: ErrorCode): string {
  if (code === "200") return "成功";
  if (code.startsWith("1")) return "令牌/账户 (token)";
  if (/^50[1-4]$/.test(code)) return "上游 (upstream)";
  return code.startsWith("5") ? "服务端 (server)" : "请求 (request)";
}

const cell = (text: string) => text.replace(/\|/g, "\\|");
const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");

function codesSection(): string {
  // Success first, then the failures in numeric order (object keys that are numbers come sorted).
  const codes = ["200", ...Object.keys(ERROR_CODES).filter((code) => code !== "200")] as ErrorCode[];
  return [
    table(
      ["errorCode", "errorDetail", "类别", "计费", "原因", "处理建议"],
      codes.map((code) => [
        code,
        `\`${ERROR_CODES[code].text}\``,
        familyOf(code),
        code === "200" ? "是（重复回放除外）" : "否",
        CODE_GUIDE[code].原因,
        CODE_GUIDE[code].处理建议,
      ]),
    ),
    "",
    "`errorCode` 为 `200` 时，`returnCode` 是核验结果：",
    "",
    table(
      ["returnCode", "returnDesc"],
      Object.entries(RETURN_CODES).map(([code, text]) => [code, `\`${text}\``]),
    ),
  ].join("\n");
}

/** Text between `begin` and the section's END marker replaced by `made`; throws when a marker is missing. */
function replaceSection(path: string, current: string, name: string, begin: string, made: string): string {
  const end = `<!-- END ${name} -->`;
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  if (from === -1 || to < from) throw new Error(`${path} lacks the markers ${begin} … ${end}`);
  return `${current.slice(0, from + begin.length)}\n${made}\n${current.slice(to)}`;
}

/** Why and when each cipher, in the caller's words (docs/contract.md §1, §2). */
const CIPHER_GUIDE = {
  "aes-cbc": {
    logon: "base64(AES-CBC-PKCS7(明文))",
    防篡改: "否（可加签名 sign）",
    建议: "驭信兼容的默认方式；新接入请改用 aes-gcm，或开启签名",
  },
  "aes-gcm": {
    logon: "base64(密文 ‖ 16 字节认证标签)，无附加数据",
    防篡改: "是",
    建议: "**推荐**：密文被改动一个比特都会被拒绝，无需另算签名",
  },
  "sm4-cbc": {
    logon: "base64(SM4-CBC-PKCS7(明文))",
    防篡改: "否（可加签名 sign，HMAC-SM3）",
    建议: "需要国密算法时使用，并开启签名",
  },
} as const satisfies Record<Cipher, { logon: string; 防篡改: string; 建议: string }>;

function ciphersSection(): string {
  return table(
    ["加密方式 `cipher`", "iv 长度", "logonKey 长度", "logon", "防篡改", "建议"],
    CIPHERS.map((cipher) => [
      `\`${cipher}\`${cipher === DEFAULT_CIPHER ? "（默认）" : ""}`,
      `${IV_BYTES[cipher]} 个字符`,
      `${KEY_LENGTHS[cipher].join(" 或 ")} 个字符`,
      CIPHER_GUIDE[cipher].logon,
      CIPHER_GUIDE[cipher].防篡改,
      CIPHER_GUIDE[cipher].建议,
    ]),
  );
}

/** What a dead request holds and for how long, and what a caller without requestId risks (docs/contract.md §6, §7). */
function retriesSection(): string {
  const margin = RESERVATION_MARGIN_MS / 1000;
  return [
    `- **处理中的请求最多持续 \`UPSTREAM_DEADLINE_MS\` + ${margin} 秒。** 服务端处理一个请求（包括所有上游尝试）`,
    `  最长 \`UPSTREAM_DEADLINE_MS\`（运营方设置，默认 10 秒），另留 ${margin} 秒结算。过了这个时限仍未结束的请求`,
    "  视为已中断（例如服务进程崩溃），不计费；之后用同一个 `requestId` 重发会重新处理（至多计费一次），",
    "  同一身份的普通重发也不再返回 `309`（`相同请求正在处理中`）。时限之内重发仍返回这个 `309`：稍候再用同一个",
    "  `requestId` 重发即可。",
    "- **不带 `requestId` 的风险：已计费却未送达。** 一个 `200` 在计费之后、送达之前，可能因连接中断或",
    "  服务进程崩溃而丢失。带 `requestId` 的调用方用同一个 `requestId` 重发即可取回原结果，不再计费；",
    "  不带 `requestId` 的调用方无法取回，重发是一次新的查询（重复窗口内返回 `309`），丢失的那次已计费，",
    "  只能按订单号与运营方对账。官方客户端默认为每次逻辑调用生成一个 `requestId`，自己实现的客户端也应如此。",
  ].join("\n");
}

/** The guide with every generated section rewritten. */
export function renderGuide(current: string): string {
  const sections = {
    codes: codesSection(),
    ciphers: ciphersSection(),
    sandbox: sandboxTables(readAnswers(), "zh"),
    retries: retriesSection(),
  };
  return Object.entries(sections).reduce(
    (out, [name, made]) =>
      replaceSection(GUIDE_PATH, out, name, `<!-- BEGIN ${name}: npm run docs:zh 生成，请勿手改 -->`, made),
    current,
  );
}

/** docs/sandbox.md with its table rewritten, in English, from the same recording. */
export function renderSandboxPage(current: string): string {
  const begin = "<!-- BEGIN sandbox: made by npm run docs:zh from the recorded answers, do not edit -->";
  return replaceSection(SANDBOX_PAGE_PATH, current, "sandbox", begin, sandboxTables(readAnswers(), "en"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--ask-sandbox")) await recordAnswers();
  for (const [path, render] of [
    [GUIDE_PATH, renderGuide],
    [SANDBOX_PAGE_PATH, renderSandboxPage],
  ] as const) {
    const current = readFileSync(path, "utf8");
    const next = render(current);
    if (next !== current) writeFileSync(path, next);
    console.log(next === current ? `${path} is up to date` : `${path} rewritten`);
  }
}
