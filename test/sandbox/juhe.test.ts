// The real client with JUHE_KEY empty: the built-in sandbox answers end to end, in both modes,
// and nothing goes to the network.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { Identity } from "../../src/identity/identity.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { JUHE_ERROR_TEXTS } from "../../src/sandbox/juhe-error-texts.ts";
import { sandboxJuheFetcher, sandboxJuheOptions } from "../../src/sandbox/juhe.ts";
import { juheClient } from "../../src/upstream/juhe/client.ts";
import { EXPECTED_JUHE_CODES, TEST_BASE_URL } from "../support/juhe-expected.ts";
import { mockJuhe } from "../support/juhe-mock.ts";

const [zhang, li] = SANDBOX_PEOPLE;
const stranger = { name: "赵六", idCard: "440305197801017771" };

type Settings = { JUHE_MODE?: "encrypted" | "plain"; UPSTREAM_TIMEOUT_MS?: number };
const sandboxClient = (s: Settings) =>
  juheClient(sandboxJuheOptions("telecomCmcc", s.JUHE_MODE ?? "encrypted", s.UPSTREAM_TIMEOUT_MS ?? 5000), sandboxJuheFetcher);

/** Calls the sandbox through the real client; fails if anything reaches the (faked) network. */
async function ask(identity: Identity, overrides: Settings = {}) {
  const network = mockJuhe(TEST_BASE_URL, () => {
    throw new Error("the sandbox must answer, not the network");
  });
  const call = await sandboxClient(overrides)(identity);
  expect(network.requests).toEqual([]);
  return call;
}

const person = (p: { phone: string; name: string; idCard: string }): Identity => ({ loginphone: p.phone, userName: p.name, idCard: p.idCard });
const phone = (loginphone: string): Identity => ({ loginphone, userName: zhang.name, idCard: zhang.idCard });

describe.each(["encrypted", "plain"] as const)("sandbox, %s mode", (mode) => {
  const cfg = { JUHE_MODE: mode };

  it.each(SANDBOX_PEOPLE)("$name with $phone and the right ID → 10000 / 11", async (p) => {
    const call = await ask(person(p), cfg);
    expect(call.outcome).toEqual({ ok: true, value: { returnCode: "10000", matchCode: "11", upstreamOrderId: expect.stringMatching(/^J\d{20}$/) } });
    expect(call.upstreamCode).toBe(0);
  });

  it("a registered phone with the wrong name → 10001 / 21", async () => {
    const call = await ask(person({ ...zhang, name: stranger.name }), cfg);
    expect(call.outcome).toMatchObject({ ok: true, value: { returnCode: "10001", matchCode: "21" } });
  });

  it("a registered phone with the wrong ID → 10001 / 22", async () => {
    const call = await ask(person({ ...zhang, idCard: li.idCard }), cfg);
    expect(call.outcome).toMatchObject({ ok: true, value: { returnCode: "10001", matchCode: "22" } });
  });

  it("a registered phone with name and ID both wrong → 10001 / 23", async () => {
    const call = await ask(person({ ...zhang, ...stranger }), cfg);
    expect(call.outcome).toMatchObject({ ok: true, value: { returnCode: "10001", matchCode: "23" } });
  });

  it("13800138009 → 10001 / 24 (mismatch, element unknown)", async () => {
    const call = await ask(phone("13800138009"), cfg);
    expect(call.outcome).toMatchObject({ ok: true, value: { returnCode: "10001", matchCode: "24" } });
  });

  it("13800138003 → 10002 (res 3: unknown)", async () => {
    const call = await ask(phone("13800138003"), cfg);
    expect(call.outcome).toMatchObject({ ok: true, value: { returnCode: "10002", matchCode: null } });
  });

  it("an unregistered phone → 308 (juhe 227303 库中无此记录)", async () => {
    const call = await ask(phone("13700000000"), cfg);
    expect(call.outcome).toMatchObject({ ok: false, code: "308" });
    expect(call.upstreamCode).toBe(227303);
  });

  it.each(EXPECTED_JUHE_CODES)("13900XXXXXX answers juhe error_code %i → %s", async (juheCode, ours) => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => log.mockRestore());
    const call = await ask(phone(`13900${String(juheCode).padStart(6, "0")}`), cfg);
    expect(call.outcome).toMatchObject({ ok: false, code: ours });
    expect(call.upstreamCode).toBe(juheCode);
  });

  it("13900000000 → error_code 0 without a result → 502", async () => {
    const call = await ask(phone("13900000000"), cfg);
    expect(call.outcome).toMatchObject({ ok: false, code: "502" });
    expect(call.upstreamCode).toBe(0);
  });

  it("13900000408 never answers → 501 after UPSTREAM_TIMEOUT_MS", async () => {
    const call = await ask(phone("13900000408"), { ...cfg, UPSTREAM_TIMEOUT_MS: 100 });
    expect(call.outcome).toMatchObject({ ok: false, code: "501" });
    expect(call.latencyMs).toBeGreaterThanOrEqual(100);
  });

  it("13900000500 answers HTTP 500 → 502", async () => {
    expect((await ask(phone("13900000500"), cfg)).outcome).toMatchObject({ ok: false, code: "502" });
  });

  it("13900000200 answers a non-JSON body → 502", async () => {
    expect((await ask(phone("13900000200"), cfg)).outcome).toMatchObject({ ok: false, code: "502" });
  });

  it("13900000503 fails like the network → 503", async () => {
    const call = await ask(phone("13900000503"), cfg);
    expect(call.outcome).toMatchObject({ ok: false, code: "503" });
    expect(call.upstreamCode).toBeNull();
  });
});

describe("the sandbox covers juhe's documented codes", () => {
  it("every code in seed 004 is among the tested ones", () => {
    const tested = EXPECTED_JUHE_CODES.map(([code]) => code);
    expect(Object.keys(JUHE_ERROR_TEXTS).map(Number).filter((c) => !tested.includes(c))).toEqual([]);
  });
});
