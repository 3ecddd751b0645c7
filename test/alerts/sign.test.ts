// The webhook signature of docs/contract.md §11, against a value computed independently (Python's hmac).
import { describe, expect, it } from "vitest";
import { signature, verifySignature } from "../../src/alerts/sign.ts";

const SECRET = "whsec-test-0123456789abcdef-0123456789";
const BODY = '{"id":"alt_0123456789abcdef"}';
const T = 1765090800;
const HEADER = `t=${T},v1=72006605a2cf3520bfcd8c71d022b228fb27cb6760e1079ca6d3c5bc27eb831c`;

describe("alert signature", () => {
  it("is t=<seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", async () => {
    expect(await signature(SECRET, BODY, T)).toBe(HEADER);
  });

  it("verifies within the replay window, either side", async () => {
    expect(await Promise.all([T, T + 300, T - 300].map((now) => verifySignature(SECRET, HEADER, BODY, now)))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("refuses a signature older than the 300-second window (a replay)", async () => {
    expect(await verifySignature(SECRET, HEADER, BODY, T + 301)).toBe(false);
  });

  it("refuses an altered body, another secret, and malformed headers", async () => {
    const answers = await Promise.all([
      verifySignature(SECRET, HEADER, `${BODY} `, T),
      verifySignature(`${SECRET}x`, HEADER, BODY, T),
      verifySignature(SECRET, null, BODY, T),
      verifySignature(SECRET, `t=${T}`, BODY, T),
      verifySignature(SECRET, HEADER.replace("v1=", "v0="), BODY, T),
      verifySignature(SECRET, HEADER.toUpperCase(), BODY, T),
    ]);
    expect(answers).toEqual([false, false, false, false, false, false]);
  });
});
