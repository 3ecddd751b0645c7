// The geographic model's places and their round trips (docs/benchmark.md "Geographic model"): the
// caller regions the issue names, the upstreams' regions, and the RTT between them from a public
// measurement data set committed beside this file, never typed by hand.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Where the numbers come from: cited in docs/benchmark.md and written into bench/results.json. */
export const RTT_SOURCE = {
  dataset: "WonderProxy/WonderNetwork ping data set, 2020-07-19 00:00 to 2020-07-20 00:00 UTC",
  url: "https://wonderproxy.com/blog/a-day-in-the-life-of-the-internet/",
  method:
    "about 250 servers pinging each other every hour (ping -c 30); per pair the day's mean of the hourly averages, as grouped in github.com/sm86/geo-latency-data (pings-2020-07-19-2020-07-20-grouped.csv)",
  file: "bench/geo/wonderproxy-pings-2020-07-19.csv (the rows between the servers below, verbatim)",
  rule: "a pair's RTT is the mean of its avg column over the directions measured",
} as const;

/** A place in the model: its name and the data set's server standing for it. */
export type Place = { readonly region: string; readonly city: string; readonly server: number };

/** Durable Object location hints (Cloudflare's DurableObjectLocationHint). */
export type LocationHint = "wnam" | "enam" | "sam" | "weur" | "eeur" | "apac" | "oc" | "afr" | "me";

/** Caller regions (each also a Cloudflare location), with the Durable Object location hint that covers them. */
export const CALLERS = [
  { region: "us-east", city: "Washington (Herndon, VA)", server: 16, hint: "enam" },
  { region: "us-west", city: "Los Angeles", server: 37, hint: "wnam" },
  { region: "sa-east", city: "São Paulo", server: 125, hint: "sam" },
  { region: "eu-west", city: "London", server: 11, hint: "weur" },
  { region: "eu-central", city: "Frankfurt", server: 29, hint: "weur" },
  { region: "ap-south", city: "Pune (for Mumbai)", server: 111, hint: "apac" },
  { region: "ap-southeast", city: "Singapore", server: 31, hint: "apac" },
  { region: "ap-northeast", city: "Tokyo", server: 6, hint: "apac" },
  { region: "ap-east", city: "Hong Kong", server: 72, hint: "apac" },
  { region: "oc", city: "Sydney", server: 107, hint: "oc" },
] as const satisfies readonly (Place & { hint: LocationHint })[];

export type Caller = (typeof CALLERS)[number];

/** The upstreams' regions: the data set has no Beijing or Guangzhou server; the nearest ones stand in. */
export const UPSTREAM_PLACES = {
  juhe: { region: "cn-north (Beijing)", city: "Zhangjiakou, Hebei (nearest server to Beijing)", server: 261 },
  tencent: { region: "cn-south (Guangzhou/Shenzhen)", city: "Shenzhen", server: 221 },
} as const satisfies Record<string, Place>;

export type UpstreamName = keyof typeof UPSTREAM_PLACES;

/**
 * Two data centres of one region (Tokyo and Osaka, servers 6 and 119): the round trip charged when
 * a Durable Object or KV's central store is "near" the Worker but not in its building.
 */
export const NEIGHBOUR = { from: 6, to: 119 } as const;

/** Round trips longer than this count as a long haul. */
export const LONG_HAUL_MS = 60;

export type Rtt = (a: number, b: number) => number;

/** Reads the committed rows; a pair missing from them is an error, never a guess. */
export function loadRtt(file = join(import.meta.dirname, "wonderproxy-pings-2020-07-19.csv")): Rtt {
  const pairs = new Map<string, number[]>();
  const [header, ...rows] = readFileSync(file, "utf8").trim().split("\n");
  const columns = header!.split(",");
  const [from, to, avg] = ["source", "destination", "avg"].map((c) => columns.indexOf(c));
  for (const row of rows) {
    const cells = row.split(",");
    const key = [Number(cells[from!]), Number(cells[to!])].sort((a, b) => a - b).join("-");
    pairs.set(key, [...(pairs.get(key) ?? []), Number(cells[avg!])]);
  }
  return (a, b) => {
    if (a === b) return 0;
    const measured = pairs.get([a, b].sort((x, y) => x - y).join("-"));
    if (!measured) throw new Error(`no RTT between servers ${a} and ${b} in ${file}`);
    return measured.reduce((s, v) => s + v, 0) / measured.length;
  };
}
