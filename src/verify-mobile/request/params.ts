// The three body parameters (CONTRACT.md §1, §3): presence first (301/306), then their shapes,
// all before any KV read or crypto. `RequestFields` is also the request schema of the OpenAPI
// document (src/openapi/), so what is published is what is checked.
import * as z from "zod/mini";
import { fromLenientBase64, utf8 } from "../../crypto/bytes.ts";
import { badParam, fail, ok, type Failure, type Outcome } from "../../wire/outcome.ts";
import type { RawFields } from "./body.ts";

export type Params = {
  readonly token: string;
  /** The iv's UTF-8 bytes: exactly 16, the AES block. */
  readonly iv: Uint8Array;
  /** The logon ciphertext, base64-decoded. */
  readonly logon: Uint8Array;
  /** The logon text as sent, kept only to explain a decryption failure. */
  readonly logonText: string;
  /** The caller's key for idempotent retries (docs/contract.md §6), from the body or the Idempotency-Key header. */
  readonly requestId: string | null;
};

export const IDEMPOTENCY_HEADER = "Idempotency-Key";

// The messages are the `errorReason` of the 306 that names the field.
const IV_LENGTH = "iv须为16个字符";
const NOT_BASE64 = "logon须为base64编码";
const REQUEST_ID_RULE = "requestId须为1至64个可打印ASCII字符";
const REQUEST_ID = z.string().check(z.regex(/^[\x20-\x7e]{1,64}$/, REQUEST_ID_RULE));

export const RequestFields = z.object({
  token: z.string().check(z.describe("The account's API token (vmt_ followed by 32 base64url characters); an unknown token answers 105.")),
  iv: z.string().check(
    // 16 UTF-8 bytes is the rule; more than 16 characters can never be that, and says so in the schema.
    z.maxLength(16, IV_LENGTH),
    z.refine((s) => utf8.encode(s).length === 16, IV_LENGTH),
    z.describe("16 characters chosen per request (ASCII: their UTF-8 bytes, exactly 16, are the AES-CBC IV)."),
    z.meta({ examples: ["abcdefghijklmnop"] }),
  ),
  logon: z.string().check(
    // The pattern is the alphabet the lenient decoder accepts; the refinement is the decoder itself.
    z.regex(/^[A-Za-z0-9+/=_ \t\r\n-]*$/, NOT_BASE64),
    z.refine((s) => fromLenientBase64(s) !== null, NOT_BASE64),
    z.describe("base64 (standard or URL-safe, padding optional, whitespace ignored, a space read as +) of the AES-CBC/PKCS#7 ciphertext of the logon JSON."),
  ),
  requestId: z.optional(
    REQUEST_ID.check(
      z.describe(
        "Optional, 1–64 printable ASCII characters (also accepted as the Idempotency-Key header): a retry with the same requestId within 24 h gets the original 200 answer again (same orderNo, duplicate: true, not billed); with another identity it is a 306.",
      ),
    ),
  ),
});

const NAMES = ["token", "iv", "logon"] as const;
type Name = (typeof NAMES)[number];

export function parseParams(fields: RawFields, idempotencyKey: string | null = null): Outcome<Params> {
  // An empty value counts as absent, as a form field left blank would be.
  const sent: Record<string, unknown> = {};
  for (const name of NAMES) {
    const v = fields.get(name);
    if (v !== undefined && v !== null && v !== "") sent[name] = v;
  }
  if (Object.keys(sent).length === 0) return fail("301");
  const parsed = RequestFields.safeParse(sent);
  if (!parsed.success) return namedFailure(sent, parsed.error.issues);
  const { token, iv, logon } = parsed.data;
  const requestId = parseRequestId(fields.get("requestId"), idempotencyKey);
  if (!requestId.ok) return requestId;
  return ok({ token: token.trim(), iv: utf8.encode(iv), logon: fromLenientBase64(logon)!, logonText: logon, requestId: requestId.value });
}

/** The body's requestId or the header's (an empty value counts as absent); both given, they must agree. */
function parseRequestId(body: unknown, header: string | null): Outcome<string | null> {
  const fromBody = body === undefined || body === null || body === "" ? null : body;
  const fromHeader = header === "" ? null : header;
  if (fromBody !== null && typeof fromBody !== "string") return badParam("requestId", "参数须为字符串");
  if (fromBody !== null && fromHeader !== null && fromBody !== fromHeader) return badParam("requestId", `requestId与${IDEMPOTENCY_HEADER}不一致`);
  const value = fromBody ?? fromHeader;
  if (value === null) return ok(null);
  return REQUEST_ID.safeParse(value).success ? ok(value) : badParam("requestId", REQUEST_ID_RULE);
}

/** The 306 for the first problem: a missing or non-string parameter before a malformed one, each in NAMES order. */
function namedFailure(sent: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): Failure {
  const issueOf = (name: Name) => issues.find((i) => i.path[0] === name);
  for (const name of NAMES) {
    if (!(name in sent)) return badParam(name, "缺少参数");
    if (issueOf(name)?.code === "invalid_type") return badParam(name, "参数须为字符串");
  }
  const name = NAMES.find(issueOf) ?? "logon";
  return badParam(name, issueOf(name)?.message);
}
