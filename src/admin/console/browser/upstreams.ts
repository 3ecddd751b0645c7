// Each upstream's answers and faults over the range (GET /admin/upstreams), and its newest attempts.
import { apiJson } from "./api.ts";
import { byId, el, emptyRow } from "./dom.ts";
import { chinaTime, count } from "./format.ts";

type Activity = {
  upstream: string;
  attempts: number;
  faults: number;
  byCode: Record<string, number>;
  recent: { at: number; accountId: string; orderNo: string; code: string | null; ms: number }[];
};

export async function loadUpstreams(range: string): Promise<void> {
  const answer = await apiJson<{ accounts: number; upstreams: Activity[] }>(`/admin/upstreams?${range}&limit=10`);
  const summary = answer.upstreams.map((u) => {
    const tr = el("tr");
    const share = u.attempts ? `${((u.faults / u.attempts) * 100).toFixed(1)}%` : "-";
    const codes = Object.entries(u.byCode)
      .sort(([, a], [, b]) => b - a)
      .map(([code, n]) => `${code}×${n}`)
      .join(" ");
    tr.append(
      el("td", u.upstream, "code"),
      el("td", count(u.attempts), "num"),
      el("td", count(u.faults), u.faults ? "num bad" : "num"),
      el("td", share, "num"),
      el("td", codes, "code muted"),
    );
    return tr;
  });
  byId("upstreams").replaceChildren(
    ...(summary.length ? summary : [emptyRow("此范围内没有上游调用 no upstream calls", 5)]),
  );
  const recent = answer.upstreams.flatMap((u) =>
    u.recent.map((a) => {
      const tr = el("tr");
      tr.append(
        el("td", chinaTime(a.at)),
        el("td", u.upstream, "code"),
        el("td", a.code ?? "无应答 none", a.code === null ? "code bad" : "code"),
        el("td", `${a.ms}ms`, "num"),
        el("td", a.orderNo, "code muted"),
      );
      return tr;
    }),
  );
  byId("upstream-recent").replaceChildren(...recent);
  byId("upstreams-note").textContent = `${answer.accounts} 个账户的流水 ledgers of ${answer.accounts} accounts`;
}
