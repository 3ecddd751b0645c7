// The OpenAPI 3.1 document, generated from the schemas the code itself checks and answers with
// (request/params.ts, envelope.ts) and from the one code table (codes.ts): nothing here restates a
// shape or a code by hand. Built on the first request for it and kept for the isolate's life.
import * as z from "zod/mini";
import type { health } from "../config/health.ts";
import { BODY_DEADLINE_MS, MAX_BODY_BYTES } from "../verify-mobile/request/body.ts";
import { REQUEST_ID_HEADER, RequestFields, RequestId } from "../verify-mobile/request/params.ts";
import { ERROR_CODES, type ErrorCode, RETURN_CODES, type ReturnCode } from "../wire/codes.ts";
import { Envelope, Info, MatchCode, ORDER_HEADER, toEnvelope } from "../wire/envelope.ts";
import { fail } from "../wire/outcome.ts";

/** /healthz's body. health.ts has no schema of its own: the type check below and a test keep the two equal. */
const Health = z.object({
  ok: z.boolean().check(z.describe("Whether the configuration parses.")),
  upstream: z
    .nullable(z.string())
    .check(
      z.describe(
        "The upstreams asked, in order, with their carrier limits (e.g. juhe-encrypted:CTCC,juhe3-encrypted,tencent), or sandbox; null when the configuration does not parse.",
      ),
    ),
});
true satisfies ReturnType<typeof health>["body"] extends z.infer<typeof Health> ? true : false;

// When each business result applies; the texts themselves come from RETURN_CODES.
const RETURN_WHEN = {
  "10000": "the carrier's record matches name, ID number and phone number (matchCode 11)",
  "10001": "the carrier's record does not match (matchCode 21, 22, 23 or 24 says which element)",
  "10002": "the carrier could not say",
} as const satisfies Record<ReturnCode, string>;

const OVERVIEW =
  "Mobile real-name verification (手机实名认证): name + ID number + mobile number against the carrier's records, in the 驭信 envelope.";

const LOGON = `**logon**: the UTF-8 JSON object \`{"idCard","userName","loginphone"}\`, encrypted with AES-CBC and PKCS#7 padding;
key = the UTF-8 bytes of the account's \`logonKey\` (16 or 32 characters → AES-128 or AES-256), IV = the UTF-8 bytes of \`iv\`
(16 characters); the ciphertext is sent as base64 (standard or URL-safe, padding optional). In Java:
\`Cipher.getInstance("AES/CBC/PKCS5Padding")\` with \`new SecretKeySpec(logonKey.getBytes(UTF_8), "AES")\` and \`new IvParameterSpec(iv.getBytes(UTF_8))\`.

Inside logon:
- \`idCard\`: 18 characters (17 digits and a check character, \`x\` read as \`X\`); wrong shape → 306; wrong check digit, birth date or region → 310.
- \`userName\`: 2–30 characters of Chinese (\`·\` in minority names), or Latin letters and spaces; otherwise 306.
- \`loginphone\`: a mainland mobile number, \`1[3-9]\` and 9 digits after removing spaces, \`-\` and a leading \`+86\`/\`86\`; otherwise 306.`;

const cell = (v: string | null) => (v === null ? "null" : v === "" ? '""' : v.replace(/\|/g, "\\|"));
const table = (head: string, rows: (string | null)[][]) =>
  [head, head.replace(/[^|]+/g, "---"), ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");

/** The error codes as a Markdown table; a failure's return fields are what toEnvelope really answers. */
export function errorCodeTable(head: string, meaning: (code: ErrorCode) => string): string {
  const rows = (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => {
    const e =
      code === "200"
        ? { returnCode: Object.keys(RETURN_CODES).join(" / "), returnDesc: Object.values(RETURN_CODES).join(" / ") }
        : toEnvelope(fail(code));
    return [code, ERROR_CODES[code].text, e.returnCode, e.returnDesc, meaning(code)];
  });
  return table(head, rows);
}

/** The business results as a Markdown table. */
export function returnCodeTable(head: string, when: Readonly<Record<ReturnCode, string>>): string {
  return table(
    head,
    (Object.keys(RETURN_CODES) as ReturnCode[]).map((code) => [code, RETURN_CODES[code], when[code]]),
  );
}

function codesDescription(): string {
  return [
    "Every answer on /api/* is HTTP 200 with the envelope; `errorCode` says what happened:",
    errorCodeTable("| errorCode | errorDetail | returnCode | returnDesc | when |", (code) => ERROR_CODES[code].when),
    "`{name}` in 306 is the parameter at fault: token, iv, logon, requestId, idCard, userName or loginphone. On 200, `returnCode` is:",
    returnCodeTable("| returnCode | returnDesc | when |", RETURN_WHEN),
  ].join("\n\n");
}

/** The zod schemas as JSON Schema 2020-12 (OAS 3.1's dialect), by component name. */
function componentSchemas(): Record<string, object> {
  // Schemas with an id become components and are referenced; the rest are inlined. Responses are
  // output shapes (exactly these keys); the request is an input shape (unknown fields are ignored).
  const ids = z.registry<{ id: string }>();
  ids
    .add(Envelope, { id: "Envelope" })
    .add(Info, { id: "Info" })
    .add(MatchCode, { id: "MatchCode" })
    .add(Health, { id: "Health" });
  const schemas: Record<string, object> = z.toJSONSchema(ids, { uri: (id) => `#/components/schemas/${id}` }).schemas;
  schemas.VerifyMobileRequest = z.toJSONSchema(RequestFields, { io: "input" });
  for (const s of Object.values(schemas)) withoutDialect(s);
  return schemas;
}

/** An input schema inlined in the document as JSON Schema. */
const inlined = (schema: z.ZodMiniType) => withoutDialect(z.toJSONSchema(schema, { io: "input" }));

// OAS 3.1 already says the dialect, and zod's "#/…" $id is not a valid 2020-12 $id.
function withoutDialect(schema: { $schema?: string; $id?: string }): object {
  delete schema.$schema;
  delete schema.$id;
  return schema;
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ "application/json": { schema: ref(id) } });

function build(): object {
  return {
    openapi: "3.1.0",
    info: { title: "verifyMobile gateway", version: "1.0.0", description: `${OVERVIEW}\n\n${LOGON}` },
    paths: {
      "/api/personalInfo/verifyMobile": {
        post: {
          operationId: "verifyMobile",
          summary: "Check that a mobile number belongs to a named person (运营商三要素)",
          description: codesDescription(),
          parameters: [
            {
              name: REQUEST_ID_HEADER,
              in: "header",
              required: false,
              description:
                "The requestId, as a header instead of the body field (the same rules; both given and different answers 306).",
              schema: inlined(RequestId),
            },
          ],
          requestBody: {
            required: true,
            description: `At most ${MAX_BODY_BYTES / 1024} KiB, received within ${BODY_DEADLINE_MS / 1000} s; a larger or slower body, or any other content type, answers 315.`,
            content: Object.fromEntries(
              ["application/x-www-form-urlencoded", "multipart/form-data", "application/json"].map((type) => [
                type,
                { schema: ref("VerifyMobileRequest") },
              ]),
            ),
          },
          responses: {
            "200": {
              description: "Always HTTP 200 with the envelope, whatever the outcome.",
              headers: {
                [ORDER_HEADER]: { description: "Our order number for this request.", schema: { type: "string" } },
              },
              content: json("Envelope"),
            },
          },
        },
      },
      "/healthz": {
        get: {
          operationId: "health",
          summary: "Which upstream answers, and whether the configuration parses",
          responses: {
            "200": { description: "The configuration parses.", content: json("Health") },
            "503": { description: "The configuration does not parse.", content: json("Health") },
          },
        },
      },
    },
    components: { schemas: componentSchemas() },
  };
}

let text: string | undefined;

/** The document as JSON text, built on first use and kept for the isolate's life. */
export function openApiJson(): string {
  text ??= JSON.stringify(build());
  return text;
}
