// Property: whatever a caller sends, the answer is an HTTP 200 envelope with a 3xx code: never
// an HTTP 5xx, never our own 500, never a stack trace.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/wire/codes.ts";
import { createAccount, encryptLogon, IV, type Sent, send, type TestAccount } from "../support/caller.ts";

const CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=b",
  "application/json",
  "text/plain",
  "",
];

function expectRequestError({ response, envelope }: Sent, allow: string[] = []) {
  expect(response.status).toBe(200);
  expect(Object.keys(envelope)).toEqual([
    "errorCode",
    "errorDetail",
    "errorReason",
    "info",
    "returnCode",
    "returnDesc",
  ]);
  expect(envelope.errorCode in ERROR_CODES).toBe(true);
  if (!allow.includes(envelope.errorCode)) expect(envelope.errorCode).toMatch(/^3\d\d$/);
}

let account: TestAccount;
beforeAll(async () => {
  account = await createAccount();
});

describe("any body", () => {
  it("gets a 3xx envelope whatever the bytes and content type", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...CONTENT_TYPES), async (bytes, type) => {
        expectRequestError(await send(bytes, type || null));
      }),
      { numRuns: 300 },
    );
  });

  it("gets a 3xx envelope for any JSON value", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expectRequestError(await send(JSON.stringify(value), "application/json"));
      }),
      { numRuns: 300 },
    );
  });

  it("gets a 3xx envelope for any logon text under a valid token", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 400 }),
        fc.string({ minLength: 16, maxLength: 16 }),
        async (logon, iv) => {
          expectRequestError(
            await send(
              new URLSearchParams({ token: account.token, iv, logon }).toString(),
              "application/x-www-form-urlencoded",
            ),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gets a 3xx envelope (or a result) for any JSON encrypted under the right key", async () => {
    const field = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null), fc.double(), fc.boolean());
    const payload = fc.oneof(
      fc.record({ idCard: field, userName: field, loginphone: field }, { requiredKeys: [] }),
      fc.jsonValue(),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (value) => {
        const logon = await encryptLogon(account.logonKey, typeof value === "string" ? value : JSON.stringify(value));
        expectRequestError(await send(JSON.stringify({ token: account.token, iv: IV, logon }), "application/json"), [
          "200",
        ]);
      }),
      { numRuns: 300 },
    );
  });
});
