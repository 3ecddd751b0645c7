// The IP allowlist's parsing and matching (docs/contract.md §4): pure, so a table of cases.
import { describe, expect, it } from "vitest";
import { ipAllowed, parseCidr } from "../../src/accounts/allow-ip.ts";

describe("parseCidr", () => {
  it.each([
    ["203.0.113.0/24", 4, 24],
    ["203.0.113.7", 4, 32],
    ["0.0.0.0/0", 4, 0],
    ["2001:db8::/32", 16, 32],
    ["::1", 16, 128],
    ["::/0", 16, 0],
    ["2001:db8:0:0:0:0:0:1/128", 16, 128],
    ["::ffff:192.0.2.1", 4, 32],
    ["64:ff9b::192.0.2.1/120", 16, 120],
  ])("reads %s", (text, bytes, prefix) => {
    const network = parseCidr(text);
    expect([network?.bytes.length, network?.prefix]).toEqual([bytes, prefix]);
  });

  it.each([
    "",
    "203.0.113.0/33",
    "203.0.113/24",
    "203.0.113.256",
    "203.0.113.07",
    "203.0.113.0/",
    "203.0.113.0/24/1",
    "203.0.113.0/-1",
    "2001:db8::/129",
    "2001:db8:::1",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "2001:db8::g",
    "localhost",
    "10.0.0.0/8,",
  ])("refuses %j", (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe("ipAllowed", () => {
  const list = ["203.0.113.0/24", "198.51.100.128/25", "2001:db8::/32"];

  it.each([
    ["203.0.113.0", true],
    ["203.0.113.255", true],
    ["203.0.112.255", false],
    ["198.51.100.128", true],
    ["198.51.100.127", false],
    ["2001:db8:ffff::1", true],
    ["2001:0db8::1", true],
    ["2001:db9::1", false],
    ["::ffff:203.0.113.9", true],
    ["not an ip", false],
    ["", false],
  ])("%s → %s", (ip, allowed) => {
    expect(ipAllowed(list, ip)).toBe(allowed);
  });

  it("allows everyone when the account has no list", () => {
    expect([ipAllowed(null, "192.0.2.1"), ipAllowed(null, null)]).toEqual([true, true]);
  });

  it("refuses a request without an address when the account has a list", () => {
    expect(ipAllowed(list, null)).toBe(false);
  });

  it("matches a /0 to every address of its family only", () => {
    expect([ipAllowed(["0.0.0.0/0"], "192.0.2.1"), ipAllowed(["0.0.0.0/0"], "2001:db8::1")]).toEqual([true, false]);
  });
});
