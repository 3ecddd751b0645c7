// The body parameters (docs/contract.md §1, §4): presence first (301/306), then their shapes, all
// before any KV read or crypto, and all in time linear in the input. `RequestFields` is also the
// request schema of the OpenAPI document (src/openapi/), so what is published is what is checked.
import * as z from "zod/mini";
import { fromLenientBase64, utf8 } from "../../crypto/bytes.ts";
import { PARAM_RULES } from "../../wire/codes.ts";
import { badParam, type Failure, fail, type Outcome, ok } from "../../wire/outcome.ts";
import type { RawFields } from "./body.ts";

export type Params = {
  readonly token: string;
  /** The iv's UTF-8 bytes: 16 (the CBC block) or 12 (the GCM nonce); the account's cipher says which (logon/open.ts). */
  readonly iv: Uint8Array;
  /** The logon ciphertext, base64-decoded. */
  readonly logon: Uint8Array;
  /** The logon text as sent, kept only to explain a decryption failure by its shape. */
  readonly logonText: string;
  /** The caller's id for idempotent retries (docs/contract.md §6), from the body or `Idempotency-Key`. */
  readonly requestId: string | null;
  /** The logon's HMAC for accounts that require one (docs/contract.md §2); checked by logon/open.ts. */
  readonly sign: string | null;
};

/** A three-field logon is a few hundred characters; anything this long is refused unread. */
export const MAX_LOGON_LENGTH = 4096;
export const REQUEST_ID_HEADER = "Idempotency-Key";

// The messages are the `errorReason` of the 306 that names the field.
const IV_LENGTH = PARAM_RULES.iv;
const NOT_BASE64 = "logon须为base64编码";
const LOGON_TOO_LONG = `logon长度超过${MAX_LOGON_LENGTH}个字符`;
const REQUEST_ID_SHAPE = PARAM_RULES.requestId;
const REQUEST_ID_CONFLICT = `请求体中的requestId与${REQUEST_ID_HEADER}不一致`;

/** The shape of a requestId, as the body field and as the header. */
export const RequestId = z
  .string()
  .check(
    z.maxLength(64, { error: REQUEST_ID_SHAPE, abort: true }),
    z.minLength(1, REQUEST_ID_SHAPE),
    z.regex(/^[\x20-\x7E]*$/, REQUEST_ID_SHAPE),
  );

export const RequestFields = z.object({
  token: z
    .string()
    .check(
      z.describe("The account's API token (vmt_ followed by 32 base64url characters); an unknown token answers 105."),
    ),
  iv: z.string().check(
    // 16 UTF-8 bytes (CBC) or 12 (GCM) is the rule; more than 16 characters can never be that, and
    // says so in the schema. Which of the two is the account's cipher's (logon/open.ts).
    z.maxLength(16, { error: IV_LENGTH, abort: true }),
    z.refine((s) => [12, 16].includes(utf8.encode(s).length), IV_LENGTH),
    z.describe(
      "Chosen per request, ASCII: its UTF-8 bytes are the IV, exactly 16 for aes-cbc and sm4-cbc accounts, the 12-byte nonce for aes-gcm accounts.",
    ),
    z.meta({ examples: ["abcdefghijklmnop"] }),
  ),
  // Decoded here, once: the length cap stops any other work on an oversized logon, the pattern is
  // the decoder's alphabet (for the document), and a failing check never reaches the decoder.
  logon: z.pipe(
    z
      .string()
      .check(
        z.maxLength(MAX_LOGON_LENGTH, { error: LOGON_TOO_LONG, abort: true }),
        z.regex(/^[A-Za-z0-9+/=_ \t\r\n-]*$/, NOT_BASE64),
        z.describe(
          "base64 (standard or URL-safe, padding optional, whitespace ignored, a space read as +) of the logon JSON encrypted by the account's cipher: AES-CBC/PKCS#7 (default), SM4-CBC/PKCS#7, or AES-GCM (ciphertext followed by the 16-byte tag).",
        ),
      ),
    z.transform((text: string, ctx) => {
      const bytes = fromLenientBase64(text);
      if (bytes) return { bytes, text };
      ctx.issues.push({ code: "custom", message: NOT_BASE64, input: text });
      return z.NEVER;
    }),
  ),
  requestId: z.optional(
    RequestId.check(
      z.describe(
        `Optional: 1–64 printable ASCII characters naming this request for idempotent retries (a repeat within 24 h gets the original 200 answer, not billed again). May instead be sent as the ${REQUEST_ID_HEADER} header; both given and different answers 306.`,
      ),
    ),
  ),
  sign: z.optional(
    z
      .string()
      .check(
        z.describe(
          'Required by accounts with requireSign, ignored otherwise: lowercase hex HMAC (SHA-256; SM3 for sm4-cbc) of token|iv|logon|requestId under HMAC(logonKey, "verifyMobile/sign/v1").',
        ),
      ),
  ),
});

const REQUIRED = ["token", "iv", "logon"] as const;
const OPTIONAL = ["requestId", "sign"] as const;
const NAMES = [...REQUIRED, ...OPTIONAL] as const;
type Name = (typeof NAMES)[number];

/** The parameters from the body's fields and the `Idempotency-Key` header's value (null when absent). */
export function parseParams(fields: RawFields, idempotencyKey: string | null): Outcome<Params> {
  // An empty value counts as absent, as a form field left blank would be.
  const sent: Record<string, unknown> = {};
  for (const name of NAMES) {
    const v = fields.get(name);
    if (v !== undefined && v !== null && v !== "") sent[name] = v;
  }
  if (!REQUIRED.some((name) => name in sent)) return fail("301");
  const header = idempotencyKey || null;
  if (header !== null) sent.requestId ??= header;
  const parsed = RequestFields.safeParse(sent);
  if (!parsed.success) return namedFailure(sent, parsed.error.issues);
  const { token, iv, logon, requestId = null, sign = null } = parsed.data;
  if (header !== null && requestId !== header) return badParam("requestId", REQUEST_ID_CONFLICT);
  return ok({ token: token.trim(), iv: utf8.encode(iv), logon: logon.bytes, logonText: logon.text, requestId, sign });
}

/** The 306 for the first problem: a missing or non-string parameter before a malformed one, each in NAMES order. */
function namedFailure(sent: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): Failure {
  const issueOf = (name: Name) => issues.find((i) => i.path[0] === name);
  for (const name of NAMES) {
    if (!(name in sent) && !(OPTIONAL as readonly string[]).includes(name)) return badParam(name, "缺少参数");
    if (issueOf(name)?.code === "invalid_type") return badParam(name, "参数须为字符串");
  }
  const name = NAMES.find(issueOf) ?? "logon";
  return badParam(name, issueOf(name)?.message);
}
