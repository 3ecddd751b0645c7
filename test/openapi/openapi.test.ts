// /openapi.json as the Worker serves it: a valid OpenAPI 3.1 document (checked by @hyperjump's
// OAS 3.1 schema, Schema Objects included) whose schemas accept what the Worker really answers.

import { exports } from "cloudflare:workers";
import { registerSchema, validate } from "@hyperjump/json-schema/openapi-3-1";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { bodyKind } from "../../src/verify-mobile/request/body.ts";
import { ERROR_CODES } from "../../src/wire/codes.ts";
import { ORDER_HEADER } from "../../src/wire/envelope.ts";
import { createAccount, encryptLogon, freshIsolate, IV, sendForm, verify } from "../support/caller.ts";
import { CONTRACT_CODES, CONTRACT_RETURN_CODES } from "../support/contract-codes.ts";

const BASIC = "BASIC"; // output with the errors, so a failure says what is wrong
const OAS_31 = "https://spec.openapis.org/oas/3.1/schema-base"; // the document, Schema Objects included
const DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base";
const DOC_URI = "https://gateway.test/openapi.json";
const schemaOf = (name: string) => `${DOC_URI}#/components/schemas/${name}`;

// Only the parts the tests read.
type Operation = {
  description: string;
  requestBody: { content: Record<string, unknown> };
  responses: { "200": { headers: Record<string, unknown> } };
};
type Doc = {
  info: { description: string };
  paths: Record<string, { post: Operation }>;
  components: { schemas: { Envelope: { properties: { errorCode: { type: string; enum: string[] } } } } };
};

let response: Response;
let doc: Doc;

beforeAll(async () => {
  response = await exports.default.fetch("http://gateway.test/openapi.json");
  doc = await response.clone().json();
  // The document as a schema resource in OpenAPI's own dialect, so instances can be checked
  // against its components exactly as a client generator would read them.
  registerSchema(doc as never, DOC_URI, DIALECT);
});
beforeEach(freshIsolate);

const zhang = SANDBOX_PEOPLE[0];
const identity = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };

describe("GET /openapi.json", () => {
  it("answers 200 JSON", () => {
    expect([response.status, response.headers.get("Content-Type")]).toEqual([200, "application/json; charset=utf-8"]);
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(await validate(OAS_31, doc as never, BASIC)).toEqual({ valid: true });
  });

  it("would be refused by the validator if a schema were broken (the check is real)", async () => {
    const broken = structuredClone(doc);
    broken.components.schemas.Envelope.properties.errorCode.type = "strin";
    expect((await validate(OAS_31, broken as never)).valid).toBe(false);
  });

  it("is built once and then served as is", async () => {
    const again = await exports.default.fetch("http://gateway.test/openapi.json");
    expect(await again.text()).toBe(await response.clone().text());
  });

  it("lists every code of the code table with its text and when it applies", () => {
    const { description } = doc.paths["/api/personalInfo/verifyMobile"]!.post;
    // Codes and texts as docs/contract.md §3 and §4 state them; the "when" column is the code table's.
    for (const [code, { detail }] of Object.entries(CONTRACT_CODES))
      expect(description).toContain(`| ${code} | ${detail} |`);
    for (const { when } of Object.values(ERROR_CODES)) expect(description).toContain(`| ${when} |`);
    for (const [code, text] of Object.entries(CONTRACT_RETURN_CODES))
      expect(description).toContain(`| ${code} | ${text} |`);
    expect(doc.components.schemas.Envelope.properties.errorCode.enum.sort()).toEqual(
      Object.keys(CONTRACT_CODES).sort(),
    );
  });

  it("describes the logon encryption", () => {
    for (const s of ["AES-CBC", "PKCS#7", "logonKey", "UTF-8 bytes", "base64", "idCard", "userName", "loginphone"])
      expect(doc.info.description).toContain(s);
  });

  it("offers exactly the body encodings the Worker reads", () => {
    const types = Object.keys(doc.paths["/api/personalInfo/verifyMobile"]!.post.requestBody.content);
    expect(types.map(bodyKind).sort()).toEqual(["form", "json", "multipart"]);
  });
});

describe("the document's schemas against the Worker's real answers", () => {
  it("accepts a 200 envelope from the sandbox, and its X-Order-No header is there", async () => {
    const { response, envelope } = await verify(await createAccount(), identity);
    expect(envelope.errorCode).toBe("200");
    expect(await validate(schemaOf("Envelope"), envelope as never, BASIC)).toEqual({ valid: true });
    expect(Object.keys(doc.paths["/api/personalInfo/verifyMobile"]!.post.responses["200"].headers)).toEqual([
      ORDER_HEADER,
    ]);
    expect(response.headers.get(ORDER_HEADER)).toBe(envelope.info?.orderNo);
  });

  it.each([
    ["306 (a request error)", { token: `vmt_${"x".repeat(32)}`, logon: "AAAA" }, "306"],
    ["105 (a token error)", { token: `vmt_${"x".repeat(32)}`, iv: IV, logon: "AAAAAAAAAAAAAAAAAAAAAA==" }, "105"],
  ])("accepts a %s envelope", async (_name, fields, code) => {
    const { envelope } = await sendForm(fields);
    expect(envelope.errorCode).toBe(code);
    expect(await validate(schemaOf("Envelope"), envelope as never, BASIC)).toEqual({ valid: true });
  });

  it("refuses an envelope the Worker could not send (the check is real)", async () => {
    const { envelope } = await verify(await createAccount(), identity);
    const wrong = [
      { ...envelope, extra: 1 },
      { ...envelope, errorCode: "999" },
      { ...envelope, info: { ...envelope.info, matchCode: "99" } },
    ];
    for (const e of wrong) expect((await validate(schemaOf("Envelope"), e as never)).valid).toBe(false);
  });

  it("accepts the body of a request the Worker answered 200, and refuses a bad iv as the Worker does", async () => {
    const account = await createAccount();
    const body = { token: account.token, iv: IV, logon: await encryptLogon(account.logonKey, identity) };
    expect((await sendForm(body)).envelope.errorCode).toBe("200");
    expect(await validate(schemaOf("VerifyMobileRequest"), body, BASIC)).toEqual({ valid: true });
    expect((await validate(schemaOf("VerifyMobileRequest"), { ...body, iv: `${IV}x` })).valid).toBe(false);
    expect((await sendForm({ ...body, iv: `${IV}x` })).envelope.errorDetail).toBe("请求参数iv为空或格式错误");
  });

  it("accepts what /healthz answers", async () => {
    const health = await (await exports.default.fetch("http://gateway.test/healthz")).json();
    expect(await validate(schemaOf("Health"), health as never, BASIC)).toEqual({ valid: true });
  });
});
