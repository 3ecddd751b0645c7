// Requests per day by code (a stacked bar chart) and their totals, from GET …/usage.
import { byId, el, emptyRow, svg } from "./dom.ts";
import { count, days, yuan } from "./format.ts";

export type UsageReport = {
  from: string;
  to: string;
  rows: { day: string; errorCode: string; requests: number; billable: number; chargedFen: number }[];
};

// One colour per code: 200 green, the others from a fixed palette in code order.
const PALETTE = [
  "#f59e0b",
  "#ef4444",
  "#8b5cf6",
  "#0ea5e9",
  "#ec4899",
  "#14b8a6",
  "#a16207",
  "#64748b",
  "#dc2626",
  "#7c3aed",
  "#0f766e",
  "#b45309",
];

function colours(codes: readonly string[]): Map<string, string> {
  let next = 0;
  return new Map(codes.map((code) => [code, code === "200" ? "#2e7d32" : (PALETTE[next++ % PALETTE.length] ?? "")]));
}

const [WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM] = [960, 260, 48, 12, 12, 40];

export function drawUsage(report: UsageReport): void {
  const codes = [...new Set(report.rows.map((r) => r.errorCode))].sort();
  const colour = colours(codes);
  const dayList = days(report.from, report.to);
  const perDay = new Map<string, Map<string, number>>();
  for (const r of report.rows) {
    const day = perDay.get(r.day) ?? new Map<string, number>();
    day.set(r.errorCode, r.requests);
    perDay.set(r.day, day);
  }
  const requests = (day: string, code: string) => perDay.get(day)?.get(code) ?? 0;
  const top = Math.max(1, ...dayList.map((d) => codes.reduce((sum, c) => sum + requests(d, c), 0)));
  const chart = byId("chart");
  chart.replaceChildren();
  const width = WIDTH - LEFT - RIGHT;
  const height = HEIGHT - TOP - BOTTOM;
  const slot = width / dayList.length;
  const bar = Math.max(2, Math.min(48, slot * 0.7));
  for (const fraction of [0, 0.5, 1]) {
    const y = TOP + height * (1 - fraction);
    chart.append(svg("line", { x1: LEFT, x2: LEFT + width, y1: y, y2: y, stroke: "#d8dde6" }));
    const label = svg("text", { x: LEFT - 6, y: y + 4, "text-anchor": "end", "font-size": 11, fill: "#667085" });
    label.textContent = String(Math.round(top * fraction));
    chart.append(label);
  }
  const labelEvery = Math.ceil(dayList.length / 15);
  dayList.forEach((day, i) => {
    const x = LEFT + slot * i + (slot - bar) / 2;
    let y = TOP + height;
    for (const code of codes) {
      const n = requests(day, code);
      if (!n) continue;
      const h = (n / top) * height;
      y -= h;
      const rect = svg("rect", { x, y, width: bar, height: h, fill: colour.get(code) ?? "", "data-code": code });
      const title = svg("title", {});
      title.textContent = `${day} ${code}: ${n}`;
      rect.append(title);
      chart.append(rect);
    }
    if (i % labelEvery === 0) {
      const label = svg("text", {
        x: x + bar / 2,
        y: TOP + height + 16,
        "text-anchor": "middle",
        "font-size": 11,
        fill: "#667085",
      });
      label.textContent = day.slice(5);
      chart.append(label);
    }
  });
  byId("legend").replaceChildren(
    ...codes.map((code) => {
      const item = el("span", null, "code");
      const swatch = el("span", null, "swatch");
      swatch.style.background = colour.get(code) ?? "";
      item.append(swatch, code);
      return item;
    }),
  );
  byId("usage-range").textContent = `${report.from} … ${report.to}`;
  showTotals(report, codes);
}

function showTotals(report: UsageReport, codes: readonly string[]): void {
  const sums = new Map<string, { requests: number; billable: number; chargedFen: number }>();
  for (const r of report.rows) {
    const sum = sums.get(r.errorCode) ?? { requests: 0, billable: 0, chargedFen: 0 };
    sum.requests += r.requests;
    sum.billable += r.billable;
    sum.chargedFen += r.chargedFen;
    sums.set(r.errorCode, sum);
  }
  const rows = codes.map((code) => {
    const sum = sums.get(code) ?? { requests: 0, billable: 0, chargedFen: 0 };
    const tr = el("tr");
    tr.append(
      el("td", code, "code"),
      el("td", count(sum.requests), "num"),
      el("td", count(sum.billable), "num"),
      el("td", yuan(sum.chargedFen), "num"),
    );
    return tr;
  });
  byId("usage-totals").replaceChildren(
    ...(rows.length ? rows : [emptyRow("此范围内没有请求 no requests in this range", 4)]),
  );
}
