// The geographic model as a picture (docs/benchmark.md): per caller region, the end-to-end time a
// verify takes (p50, warm) under each design, against the floor of calling the upstream directly.
import type { DesignResult } from "./model.ts";

const COLOURS: Record<string, string> = {
  floor: "#9e9e9e",
  chosen: "#1b7f3b",
  today: "#d98c00",
  placedNearUpstream: "#6a4fb3",
  peer: "#c0392b",
};
const SHOWN = ["chosen", "today", "placedNearUpstream", "peer"] as const;
const NAMES: Record<string, string> = {
  floor: "floor: the caller calls the upstream itself",
  chosen: "chosen: object in the caller's region",
  today: "today: object wherever the first request landed",
  placedNearUpstream: "Worker placed near the upstream",
  peer: "naive peer (KV only)",
};

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A horizontal grouped bar chart as SVG text. */
export function geoChart(title: string, designs: DesignResult[]): string {
  const byName = new Map(designs.map((d) => [d.name, d]));
  const regions = byName.get("chosen")!.warm;
  const series = [
    { key: "floor", values: regions.map((r) => r.floorMs) },
    ...SHOWN.map((key) => ({ key, values: byName.get(key)!.warm.map((r) => r.endToEndP50Ms) })),
  ];
  const max = Math.ceil(Math.max(...series.flatMap((s) => s.values)) / 100) * 100;
  const bar = 7;
  const group = series.length * bar + 8;
  const left = 110;
  const width = 760;
  const plot = width - left - 20;
  const top = 40;
  const height = top + regions.length * group + 30 + series.length * 16;
  const x = (ms: number) => left + (ms / max) * plot;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<title>${xml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">${xml(title)}</text>`,
  ];
  for (let ms = 0; ms <= max; ms += 100) {
    out.push(
      `<line x1="${x(ms)}" y1="${top - 6}" x2="${x(ms)}" y2="${top + regions.length * group}" stroke="#e0e0e0"/>`,
      `<text x="${x(ms)}" y="${top - 9}" text-anchor="middle" fill="#555">${ms} ms</text>`,
    );
  }
  regions.forEach((region, i) => {
    const y0 = top + i * group;
    out.push(`<text x="${left - 6}" y="${y0 + group / 2}" text-anchor="end">${xml(region.region)}</text>`);
    series.forEach((s, j) => {
      const v = s.values[i]!;
      out.push(
        `<rect x="${left}" y="${y0 + j * bar}" width="${x(v) - left}" height="${bar - 1}" fill="${COLOURS[s.key]}"><title>${xml(NAMES[s.key]!)}: ${v} ms</title></rect>`,
      );
    });
  });
  const legendTop = top + regions.length * group + 16;
  series.forEach((s, j) => {
    const y = legendTop + j * 16;
    out.push(
      `<rect x="${left}" y="${y - 9}" width="10" height="10" fill="${COLOURS[s.key]}"/>`,
      `<text x="${left + 16}" y="${y}">${xml(NAMES[s.key]!)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
