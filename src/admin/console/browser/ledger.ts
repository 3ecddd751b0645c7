// The account's ledger: every page of the range (following `next`), searched by order number in
// the page, downloaded as CSV through the admin API.
import { api, apiJson, download } from "./api.ts";
import { byId, el, inputValue } from "./dom.ts";
import { chinaTime, yuan } from "./format.ts";

type Attempt = { upstream: string; code: string | null; ms: number };
export type LedgerRow = {
  orderNo: string;
  at: number;
  errorCode: string;
  returnCode: string;
  chargedFen: number;
  duplicate: boolean;
  attempts?: Attempt[];
};

/** More pages than this and the range is too wide to look at here: the CSV has them all. */
const MAX_PAGES = 50;

let rows: LedgerRow[] = [];

export const forgetLedger = () => {
  rows = [];
};

export const attemptsText = (row: { attempts?: Attempt[] }) =>
  (row.attempts ?? []).map((a) => `${a.upstream} ${a.code ?? "-"} ${a.ms}ms`).join(", ");

export function showLedger(): void {
  const query = inputValue("search").toLowerCase();
  const shown = query ? rows.filter((r) => r.orderNo.toLowerCase().includes(query)) : rows;
  byId("ledger").replaceChildren(
    ...shown.map((r) => {
      const tr = el("tr");
      tr.append(
        el("td", chinaTime(r.at)),
        el("td", r.orderNo, "code"),
        el("td", r.errorCode, "code"),
        el("td", r.returnCode, "code"),
        el("td", yuan(r.chargedFen), "num"),
        el("td", r.duplicate ? "是 yes" : ""),
        el("td", attemptsText(r), "muted"),
      );
      return tr;
    }),
  );
  byId("ledger-count").textContent = `${query ? `${shown.length} / ` : ""}${rows.length} 行 rows`;
}

export async function loadLedger(accountPath: string, range: string): Promise<void> {
  const found: LedgerRow[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { rows: LedgerRow[]; next: string | null } = await apiJson(
      `${accountPath}/ledger?${range}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    found.push(...page.rows);
    cursor = page.next ?? null;
  } while (cursor && ++pages < MAX_PAGES);
  rows = found;
  showLedger();
  if (cursor)
    byId("ledger-count").textContent +=
      `，仅显示前 ${found.length} 行：缩小日期范围或下载CSV (first ${found.length} rows only)`;
}

export async function downloadLedger(accountPath: string, range: string, name: string): Promise<void> {
  download(await api(`${accountPath}/ledger?${range}&format=csv`), name);
}
