// Vendor cost, revenue and margin per day × account × vendor (GET /admin/spend), every page, and its CSV.
import { api, apiJson, download } from "./api.ts";
import { byId, el, emptyRow } from "./dom.ts";
import { count, yuan } from "./format.ts";

type SpendRow = {
  day: string;
  accountId: string;
  vendor: string;
  calls: number;
  maybeCalls: number;
  costFen: number;
  revenueFen: number;
  marginFen: number;
};

const MAX_PAGES = 20;

export async function loadSpend(range: string, account: string): Promise<void> {
  const scope = account ? `&account=${encodeURIComponent(account)}` : "";
  const rows: SpendRow[] = [];
  const unpriced = new Set<string>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { rows: SpendRow[]; unpriced: string[]; next: string | null } = await apiJson(
      `/admin/spend?${range}${scope}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    rows.push(...page.rows);
    for (const vendor of page.unpriced) unpriced.add(vendor);
    cursor = page.next;
  } while (cursor && ++pages < MAX_PAGES);
  const lines = rows.map((r) => {
    const tr = el("tr");
    tr.append(
      el("td", r.day),
      el("td", r.accountId, "code"),
      el("td", r.vendor, "code"),
      el("td", count(r.calls), "num"),
      el("td", count(r.maybeCalls), r.maybeCalls ? "num bad" : "num"),
      el("td", yuan(r.costFen), "num"),
      el("td", yuan(r.revenueFen), "num"),
      el("td", yuan(r.marginFen), r.marginFen < 0 ? "num bad" : "num"),
    );
    return tr;
  });
  byId("spend").replaceChildren(...(lines.length ? lines : [emptyRow("此范围内没有上游调用 no upstream calls", 8)]));
  const total = (pick: (r: SpendRow) => number) => rows.reduce((sum, r) => sum + pick(r), 0);
  byId("spend-total").textContent =
    `合计 total: ${count(total((r) => r.calls))} 次调用 calls, 成本 cost ${yuan(total((r) => r.costFen))}, ` +
    `收入 revenue ${yuan(total((r) => r.revenueFen))}, 毛利 margin ${yuan(total((r) => r.marginFen))}` +
    (unpriced.size ? `；未定价 unpriced: ${[...unpriced].join(", ")}` : "");
}

export async function downloadSpend(range: string, account: string, name: string): Promise<void> {
  const scope = account ? `&account=${encodeURIComponent(account)}` : "&limit=100";
  download(await api(`/admin/spend?${range}${scope}&format=csv`), name);
}
