// The Tencent twin speaks FaceID PhoneVerification's protocol: it verifies the TC3 signature as
// Tencent does, and answers the sandbox identities with Result/Isp, through the real client too.
import { describe, expect, it } from "vitest";
import type { Identity } from "../../../src/identity/identity.ts";
import { SANDBOX_PEOPLE } from "../../../src/sandbox/identities.ts";
import { tencentQuery } from "../../../src/upstream/tencent/client.ts";
import {
  SANDBOX_TENCENT_SECRET,
  sandboxTencentFetch,
  sandboxTencentFetcher,
  sandboxTencentOptions,
} from "../../../src/upstream/tencent/sandbox.ts";
import { tencentHeaders } from "../../../src/upstream/tencent/sign.ts";
import { EXPECTED_JUHE_CODES } from "../../support/juhe-expected.ts";
import { mockUpstreams } from "../../support/upstream-mock.ts";

const [zhang] = SANDBOX_PEOPLE;
const byPhone = (phone: string) => SANDBOX_PEOPLE.find((p) => p.phone === phone)!;
const BASE = "https://faceid.sandbox";
const HOST = "faceid.sandbox";

type Signed = {
  payload?: string;
  secretKey?: string;
  secretId?: string;
  timestamp?: number;
  action?: string;
  version?: string;
  host?: string;
};

/** A request signed like the real client's, with one thing changed when asked. */
async function signed(change: Signed = {}): Promise<Request> {
  const payload = change.payload ?? JSON.stringify({ IdCard: zhang.idCard, Name: zhang.name, Phone: zhang.phone });
  const headers = await tencentHeaders({
    secretId: change.secretId ?? SANDBOX_TENCENT_SECRET.secretId,
    secretKey: change.secretKey ?? SANDBOX_TENCENT_SECRET.secretKey,
    service: "faceid",
    host: change.host ?? HOST,
    payload,
    timestamp: change.timestamp ?? Math.floor(Date.now() / 1000),
    action: change.action ?? "PhoneVerification",
    version: change.version ?? "2018-03-01",
  });
  return new Request(`${BASE}/`, { method: "POST", headers, body: payload });
}

const answerTo = async (request: Request) =>
  (await (await sandboxTencentFetch(request)).json()) as { Response: Record<string, unknown> };

describe("the wire", () => {
  it("answers a correctly signed request like Tencent: Result, Description, Isp, RequestId", async () => {
    expect(await answerTo(await signed())).toEqual({
      Response: {
        Result: "0",
        Description: "认证通过",
        Isp: "移动",
        RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    });
  });

  it.each([
    ["another secret key", { secretKey: "wrong" }, "AuthFailure.SignatureFailure"],
    ["a signature over another host", { host: "elsewhere.test" }, "AuthFailure.SignatureFailure"],
    ["an unknown SecretId", { secretId: "AKIDunknown" }, "AuthFailure.SecretIdNotFound"],
    ["a timestamp 10 minutes old", { timestamp: Math.floor(Date.now() / 1000) - 600 }, "AuthFailure.SignatureExpire"],
    ["another action", { action: "IdCardVerification" }, "InvalidAction"],
    ["another version", { version: "2017-01-01" }, "NoSuchVersion"],
    [
      "a body without Phone",
      { payload: JSON.stringify({ IdCard: zhang.idCard, Name: zhang.name }) },
      "MissingParameter",
    ],
  ] as const)("refuses %s with Error %s", async (_, change, code) => {
    expect(await answerTo(await signed(change))).toEqual({
      Response: { Error: { Code: code, Message: "sandbox" }, RequestId: expect.any(String) },
    });
  });

  it("refuses a body changed after signing", async () => {
    const request = await signed();
    const tampered = new Request(request, {
      body: JSON.stringify({ IdCard: zhang.idCard, Name: "李四", Phone: zhang.phone }),
    });
    expect((await answerTo(tampered)).Response.Error).toEqual({
      Code: "AuthFailure.SignatureFailure",
      Message: "sandbox",
    });
  });
});

/** Through the real client; fails if anything reaches the (faked) network. */
async function ask(identity: Identity, timeoutMs = 5000) {
  const network = mockUpstreams({});
  const call = await tencentQuery(sandboxTencentOptions(), sandboxTencentFetcher)(identity, timeoutMs);
  expect(network.requests).toEqual([]);
  return call;
}

const person = (p: { phone: string; name: string; idCard: string }): Identity => ({
  loginphone: p.phone,
  userName: p.name,
  idCard: p.idCard,
});
const phone = (loginphone: string): Identity => ({ ...person(zhang), loginphone });

describe("the sandbox identities through the real client", () => {
  it.each([
    ["13800138000", "CMCC"],
    ["18600186000", "CUCC"],
    ["18900189000", "CTCC"],
    ["19200192000", "CBN"],
    ["18900189002", "CMCC"], // ported from Telecom: Tencent knows
  ])("%s → 10000 / 11, carrier %s", async (number, carrier) => {
    expect((await ask(person(byPhone(number)))).outcome).toEqual({
      ok: true,
      value: { returnCode: "10000", matchCode: "11", upstreamOrderId: expect.any(String), carrier },
    });
  });

  it("a wrong name → -4 (10001 / 24: 简版 does not say which element)", async () => {
    expect((await ask({ ...person(zhang), userName: "王二" })).outcome).toMatchObject({
      ok: true,
      value: { returnCode: "10001", matchCode: "24" },
    });
  });

  it("an unregistered phone → -9 (308)", async () => {
    const call = await ask(phone("13700000000"));
    expect([call.code, call.outcome.ok ? null : call.outcome.code]).toEqual(["-9", "308"]);
  });

  // A fault phone reads the same whichever upstream of the chain answers last.
  it.each(EXPECTED_JUHE_CODES)("13900XXXXXX for juhe %i → the same %s as juhe's", async (juheCode, ours) => {
    const call = await ask(phone(`13900${String(juheCode).padStart(6, "0")}`));
    expect(call.outcome).toMatchObject({ ok: false, code: ours });
  });

  it.each([
    ["13900000000", "502"],
    ["13900000500", "502"],
    ["13900000200", "502"],
    ["13900000503", "503"],
  ])("%s → %s, like on juhe", async (number, code) => {
    expect((await ask(phone(number))).outcome).toMatchObject({ ok: false, code });
  });

  it("13900000408 never answers → 501", async () => {
    expect((await ask(phone("13900000408"), 100)).outcome).toMatchObject({ ok: false, code: "501" });
  });
});
