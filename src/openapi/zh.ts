// The Chinese of /docs?lang=zh: every sentence the page shows from the document, in the words a
// Chinese API page uses (请求参数, 返回, 响应体). Codes and their texts come from src/wire/codes.ts as
// in English; the 说明 of a code is its default errorReason, already Chinese. The page gets this
// object inlined with its script; the compiler checks that every field of the schemas has its line.
import { BODY_DEADLINE_MS, MAX_BODY_BYTES } from "../verify-mobile/request/body.ts";
import { REQUEST_ID_HEADER, type RequestFields } from "../verify-mobile/request/params.ts";
import { ERROR_CODES, type ErrorCode, RETURN_CODES, type ReturnCode } from "../wire/codes.ts";
import type { Envelope, Info } from "../wire/envelope.ts";
import { errorCodeTable, returnCodeTable } from "./document.ts";

const OVERVIEW = "手机实名认证（运营商三要素）：将姓名、身份证号与手机号提交运营商记录核验，以驭信的响应体返回结果。";

const LOGON = `**logon**：UTF-8 的 JSON 对象 \`{"idCard","userName","loginphone"}\`，用 AES-CBC、PKCS#7 填充加密；
密钥为账户 \`logonKey\` 的 UTF-8 字节（16 或 32 个字符，即 AES-128 或 AES-256），IV 为 \`iv\` 的 UTF-8 字节
（16 个字符）；密文以 base64 发送（标准或 URL 安全字母表，可省略填充）。Java 写法：
\`Cipher.getInstance("AES/CBC/PKCS5Padding")\`，密钥 \`new SecretKeySpec(logonKey.getBytes(UTF_8), "AES")\`，IV \`new IvParameterSpec(iv.getBytes(UTF_8))\`。

logon 里的字段：
- \`idCard\`：18 位（17 位数字加 1 位校验码，小写 \`x\` 按 \`X\` 处理）；格式不对返回 306，校验码、出生日期或地区码不对返回 310。
- \`userName\`：2–30 个字符，汉字（少数民族姓名用 \`·\` 分隔）或拉丁字母与空格；否则返回 306。
- \`loginphone\`：大陆手机号，去掉空格、\`-\` 和开头的 \`+86\`/\`86\` 后为 \`1[3-9]\` 加 9 位数字；否则返回 306。`;

/** What each request field means (the body parameters of params.ts). */
const FIELDS = {
  token: "账户的 API 令牌（vmt_ 加 32 个 base64url 字符）；令牌不存在或格式不对返回 105。",
  iv: "每次请求自选的字符串：其 UTF-8 字节即 IV，aes-cbc、sm4-cbc 账户恰为 16 个字节，aes-gcm 账户恰为 12 个（GCM 的 nonce，同一密钥下不得重复）。",
  logon:
    "logon JSON 加密后的 base64（标准或 URL 安全，可省略填充，忽略空白，空格按 + 读）：aes-cbc 与 sm4-cbc 为 PKCS#7 密文，aes-gcm 为密文后接 16 字节认证标签。",
  requestId: `可选：1–64 个可打印 ASCII 字符，为本次请求命名，用于幂等重试（24 小时内重发得到原来的 200 结果，不再计费）。也可用 ${REQUEST_ID_HEADER} 请求头发送；两者都给且不同返回 306。`,
  sign: "要求签名的账户必填：HMAC（aes 账户 SHA-256，sm4-cbc 账户 SM3）对 token|iv|logon|requestId 的 64 位小写十六进制签名，密钥由 logonKey 派生；缺少或格式不对返回 306，不对返回 307。",
} as const satisfies Record<keyof typeof RequestFields.shape, string>;

/** What each field of the response body means (envelope.ts), `info.` fields included. */
const ENVELOPE = {
  errorCode: "请求的结果，见返回码表。",
  errorDetail: "返回码对应的固定中文说明；306 会写出出错的参数名。",
  errorReason: "简短的中文原因和处理建议（有帮助时给出），从不包含个人信息。",
  info: "200 时为核验结果，否则为 null。",
  returnCode: `200 时的业务结果（${Object.entries(RETURN_CODES)
    .map(([code, text]) => `${code} ${text}`)
    .join("，")}）；请求错误（3xx、5xx）为 "0"；令牌错误（1xx）为 ""。`,
  returnDesc: 'returnCode 的文字；请求错误为 null；令牌错误为 ""。',
} as const satisfies Record<keyof Envelope, string>;

const INFO = {
  orderNo: "本次请求的订单号，同时在响应头 X-Order-No 中返回。",
  matchCode:
    "运营商的比对明细：11 匹配，21 姓名不匹配，22 身份证不匹配，23 均不匹配，24 不匹配但明细未知；运营商未给出时为 null。",
  carrier:
    "号码所属运营商：CMCC 中国移动、CUCC 中国联通、CTCC 中国电信、CBN 中国广电；上游报告的优先（含携号转网），否则按号段判断；未知为 null。",
  billable: "本次结果是否计费。",
  duplicate: "是否为重复窗口内对先前结果的重放（重放不计费）。",
} as const satisfies Record<keyof Info, string>;

/** When each business result applies. */
const RETURN_WHEN = {
  "10000": "运营商记录与姓名、身份证号、手机号一致（matchCode 11）",
  "10001": "运营商记录不一致（matchCode 21、22、23 或 24 说明哪一项）",
  "10002": "运营商无法给出结论",
} as const satisfies Record<ReturnCode, string>;

/** The 200 has no default errorReason: its 说明 is said here. */
const OK_MEANING = "上游给出了核验结果，见 returnCode 与 info.matchCode";

function codesMarkdown(): string {
  const meaning = (code: ErrorCode) => ERROR_CODES[code].reason ?? OK_MEANING;
  return [
    "`/api/*` 上的每个请求都返回 HTTP 200 和响应体，`errorCode` 说明结果：",
    errorCodeTable("| errorCode | errorDetail | returnCode | returnDesc | 说明（默认 errorReason） |", meaning),
    "306 的 `{name}` 是出错的参数：token、iv、logon、requestId、idCard、userName 或 loginphone。200 时 `returnCode` 为：",
    returnCodeTable("| returnCode | returnDesc | 说明 |", RETURN_WHEN),
  ].join("\n\n");
}

/** Everything the page shows in Chinese, as one JSON-able object. */
export function docsChinese() {
  return {
    intro: `${OVERVIEW}\n\n${LOGON}`,
    summary: "核验手机号是否属于所提交的姓名和身份证号（运营商三要素）",
    bodyNote: `请求体不超过 ${MAX_BODY_BYTES / 1024} KiB，须在 ${BODY_DEADLINE_MS / 1000} 秒内收完；超过大小或时间，或使用其他 Content-Type，返回 315。`,
    responseNote: "无论结果如何，都返回 HTTP 200 和响应体。响应头 X-Order-No：本次请求的订单号。",
    fields: FIELDS,
    envelope: {
      ...ENVELOPE,
      ...Object.fromEntries(Object.entries(INFO).map(([name, text]) => [`info.${name}`, text])),
    },
    codes: codesMarkdown(),
    words: { minLength: "最短", maxLength: "最长", pattern: "格式", examples: "例如" },
  };
}
