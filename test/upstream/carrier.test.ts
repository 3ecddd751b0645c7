// Number segment → carrier, and upstream carrier names → carrier (src/upstream/carrier.ts).
import { describe, expect, it } from "vitest";
import { type Carrier, carrierOfIsp, carrierOfNumber, SEGMENTS } from "../../src/upstream/carrier.ts";

/** An 11-digit number in the block `prefix`. */
const numberIn = (prefix: string) => prefix.padEnd(11, "0");

type Expected = readonly [prefix: string, carrier: Carrier, mvno: boolean];
const blocks = (carrier: Carrier, mvno: boolean, ...prefixes: string[]): Expected[] =>
  prefixes.map((p) => [p, carrier, mvno] as const);

// Written out by hand, one line per block family, so a slip in the table's grouping shows here.
const EXPECTED: Expected[] = [
  ...blocks("CMCC", false, "1340", "1341", "1342", "1343", "1344", "1345", "1346", "1347", "1348"),
  ...blocks("CMCC", false, "135", "136", "137", "138", "139", "147", "148", "150", "151", "152"),
  ...blocks("CMCC", false, "157", "158", "159", "172", "178", "182", "183", "184", "187", "188", "195", "197", "198"),
  ...blocks("CMCC", true, "1703", "1705", "1706", "165"),
  ...blocks("CUCC", false, "130", "131", "132", "145", "146", "155", "156", "166", "175", "176", "185", "186", "196"),
  ...blocks("CUCC", true, "1704", "1707", "1708", "1709", "167", "171"),
  ...blocks("CTCC", false, "133", "149", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199", "1349"),
  ...blocks("CTCC", true, "1700", "1701", "1702", "162"),
  ...blocks("CBN", false, "192"),
];

describe("carrierOfNumber", () => {
  it.each(EXPECTED)("%s → %s, mvno %s", (prefix, carrier, mvno) => {
    expect(carrierOfNumber(numberIn(prefix))).toEqual({ carrier, mvno });
    expect(carrierOfNumber(prefix.padEnd(11, "9"))).toEqual({ carrier, mvno });
  });

  it("the hand-written list and the table name exactly the same blocks", () => {
    expect(Object.keys(SEGMENTS).sort()).toEqual(EXPECTED.map(([p]) => p).sort());
  });

  it("every entry in the table answers for a number in its block", () => {
    for (const [prefix, segment] of Object.entries(SEGMENTS)) {
      expect(prefix, prefix).toMatch(/^1\d{2,3}$/);
      expect(carrierOfNumber(numberIn(prefix)), prefix).toEqual(segment);
    }
  });

  it("a split block has no 3-digit entry shadowing its 4-digit ones", () => {
    for (const split of ["134", "170"]) expect(Object.hasOwn(SEGMENTS, split), split).toBe(false);
  });

  it("134 is China Mobile except 1349, satellite China Telecom", () => {
    for (let d = 0; d <= 8; d++) expect(carrierOfNumber(`134${d}1234567`)).toEqual({ carrier: "CMCC", mvno: false });
    expect(carrierOfNumber("13491234567")).toEqual({ carrier: "CTCC", mvno: false });
  });

  it("170 splits by its fourth digit across three host networks, all MVNO", () => {
    const hosts = ["CTCC", "CTCC", "CTCC", "CMCC", "CUCC", "CMCC", "CMCC", "CUCC", "CUCC", "CUCC"];
    hosts.forEach((carrier, d) => {
      expect(carrierOfNumber(`170${d}1234567`), `170${d}`).toEqual({ carrier, mvno: true });
    });
  });

  it.each(["140", "141", "142", "143", "144", "154", "160", "161", "163", "164", "168", "169", "179", "194"])(
    "unallocated or IoT-only block %s → null",
    (prefix) => {
      expect(carrierOfNumber(numberIn(prefix))).toBeNull();
    },
  );

  it.each(["17400000000", "17490000000", "10000000000", "11000000000", "12000000000"])("%s → null", (phone) => {
    expect(carrierOfNumber(phone)).toBeNull();
  });

  it.each(["", "1380013800", "138001380001", "+8613800138000", "1380013800a", " 13800138000", "13800138000\n"])(
    "not exactly 11 digits %j → null",
    (phone) => {
      expect(carrierOfNumber(phone)).toBeNull();
    },
  );

  it("only own keys count, not Object.prototype's", () => {
    expect(carrierOfNumber("constructor")).toBeNull();
  });
});

describe("carrierOfIsp", () => {
  it.each([
    ["移动", "CMCC"],
    ["联通", "CUCC"],
    ["电信", "CTCC"],
    ["广电", "CBN"],
    ["中国移动", "CMCC"],
    ["中国联通", "CUCC"],
    ["中国电信", "CTCC"],
    ["中国广电", "CBN"],
    [" 移动 ", "CMCC"],
  ] as const)("%j → %s", (text, carrier) => {
    expect(carrierOfIsp(text)).toBe(carrier);
  });

  it.each(["", "  ", "未知", "中国", "移动联通", "CMCC", "中国铁通", "toString", "constructor", null, undefined])(
    "%j → null",
    (text) => {
      expect(carrierOfIsp(text)).toBeNull();
    },
  );
});
