// The real juhe client against its sandbox twins, both products, in both modes: the answers of
// the sandbox identities, and nothing goes to the network.
import { describe, expect, it } from "vitest";
import type { Identity } from "../../../src/identity/identity.ts";
import { SANDBOX_PEOPLE, SANDBOX_PRODUCT_FAULTS } from "../../../src/sandbox/identities.ts";
import { juheQuery } from "../../../src/upstream/juhe/client.ts";
import type { JuheProduct } from "../../../src/upstream/juhe/codes.ts";
import { JUHE_ERROR_TEXTS } from "../../../src/upstream/juhe/error-texts.ts";
import { sandboxJuheFetcher, sandboxJuheOptions } from "../../../src/upstream/juhe/sandbox.ts";
import { EXPECTED_JUHE_CODES, TEST_BASE_URL } from "../../support/juhe-expected.ts";
import { mockJuhe } from "../../support/juhe-mock.ts";

const [zhang, li] = SANDBOX_PEOPLE;
const stranger = { name: "赵六", idCard: "440305197801017771" };

type Settings = { JUHE_MODE?: "encrypted" | "plain"; UPSTREAM_TIMEOUT_MS?: number; product?: JuheProduct };

/** Calls the sandbox through the real client; fails if anything reaches the (faked) network. */
async function ask(identity: Identity, overrides: Settings = {}) {
  const network = mockJuhe(TEST_BASE_URL, () => {
    throw new Error("the sandbox must answer, not the network");
  });
  const query = juheQuery(
    sandboxJuheOptions(overrides.product ?? "telecom", overrides.JUHE_MODE ?? "encrypted"),
    sandboxJuheFetcher,
  );
  const call = await query(identity, overrides.UPSTREAM_TIMEOUT_MS ?? 5000);
  expect(network.requests).toEqual([]);
  return call;
}

const person = (p: { phone: string; name: string; idCard: string }): Identity => ({
  loginphone: p.phone,
  userName: p.name,
  idCard: p.idCard,
});
const phone = (loginphone: string): Identity => ({ loginphone, userName: zhang.name, idCard: zhang.idCard });

// Registered people whose three-network answer is not a fault of its own.
const answered = SANDBOX_PEOPLE.filter((p) => SANDBOX_PRODUCT_FAULTS[p.phone]?.telecom === undefined);

describe.each(["encrypted", "plain"] as const)("the three-network twin, %s mode", (mode) => {
  const cfg = { JUHE_MODE: mode };

  it.each(answered)("$name with $phone and the right ID → 10000 / 11", async (p) => {
    const call = await ask(person(p), cfg);
    expect(call.outcome).toEqual({
      ok: true,
      value: {
        returnCode: "10000",
        matchCode: "11",
        upstreamOrderId: expect.stringMatching(/^J\d{20}$/),
        carrier: null,
      },
    });
    expect(call.code).toBe("0");
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
    expect(call.code).toBe("227303");
  });

  it.each(EXPECTED_JUHE_CODES)("13900XXXXXX answers juhe error_code %i → %s", async (juheCode, ours) => {
    const call = await ask(phone(`13900${String(juheCode).padStart(6, "0")}`), cfg);
    expect(call.outcome).toMatchObject({ ok: false, code: ours });
    expect(call.code).toBe(String(juheCode));
  });

  it("13900000000 → error_code 0 without a result → 502", async () => {
    const call = await ask(phone("13900000000"), cfg);
    expect(call.outcome).toMatchObject({ ok: false, code: "502" });
    expect(call.code).toBe("0");
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
    expect(call.code).toBeNull();
  });
});

describe.each(["encrypted", "plain"] as const)("the telecomCmcc twin (Telecom numbers only), %s mode", (mode) => {
  const cfg = { JUHE_MODE: mode, product: "telecomCmcc" } as const;
  const [sun, wu, zheng] = ["18900189000", "18900189001", "18900189002"].map(
    (p) => SANDBOX_PEOPLE.find((x) => x.phone === p)!,
  );

  it("answers a Telecom subscriber", async () => {
    expect((await ask(person(sun!), cfg)).outcome).toMatchObject({
      ok: true,
      value: { returnCode: "10000", matchCode: "11" },
    });
  });

  it.each(["13800138000", "18600186000", "19200192000", "13900227303", "13900000408"])(
    "refuses %s by its segment: 227304, fail over",
    async (loginphone) => {
      const call = await ask(phone(loginphone), cfg);
      expect([call.code, call.failover, call.fault, call.notCarrier]).toEqual(["227304", true, false, "CTCC"]);
    },
  );

  it("refuses a Telecom-segment number ported to Mobile: 227304", async () => {
    expect((await ask(person(zheng!), cfg)).code).toBe("227304");
  });

  it("faults for 18900189001 (227301) while the three-network twin answers it", async () => {
    const [cmcc, three] = [await ask(person(wu!), cfg), await ask(person(wu!), { JUHE_MODE: mode })];
    expect([cmcc.code, cmcc.failover, three.outcome.ok]).toEqual(["227301", true, true]);
  });

  it("refuses the wrong key of the other product", async () => {
    const query = juheQuery(
      { ...sandboxJuheOptions("telecomCmcc", mode), key: sandboxJuheOptions("telecom", mode).key },
      sandboxJuheFetcher,
    );
    expect((await query(person(sun!), 5000)).code).toBe("10001");
  });
});

describe("the three-network twin's own fault", () => {
  it("18600186001: 10020 maintenance, fail over", async () => {
    const feng = SANDBOX_PEOPLE.find((p) => p.phone === "18600186001")!;
    const call = await ask(person(feng));
    expect([call.outcome, call.code, call.failover]).toEqual([
      { ok: false, code: "503", reason: "上游服务维护中" },
      "10020",
      true,
    ]);
  });
});

describe("the sandbox covers juhe's documented codes", () => {
  it("every code juhe documents is among the tested ones", () => {
    const tested = EXPECTED_JUHE_CODES.map(([code]) => code);
    expect(
      Object.keys(JUHE_ERROR_TEXTS)
        .map(Number)
        .filter((c) => !tested.includes(c)),
    ).toEqual([]);
  });
});
