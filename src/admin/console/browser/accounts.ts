// The account list (GET /admin/accounts): search by id, name or status; "open" loads one.
import { apiJson } from "./api.ts";
import { byId, el, emptyRow, inputValue } from "./dom.ts";
import { count, yuan } from "./format.ts";

type Listed = {
  id: string;
  name: string;
  status: string;
  priceFen: number | null;
  balanceFen: number | null;
  remaining: number | null;
  contractEnd: string | null;
};

export async function searchAccounts(open: (id: string) => void): Promise<void> {
  const q = inputValue("account-search");
  const page = await apiJson<{ accounts: Listed[]; next: string | null }>(
    `/admin/accounts?limit=50&q=${encodeURIComponent(q)}`,
  );
  const rows = page.accounts.map((a) => {
    const tr = el("tr");
    const button = el("button", "查看 Open", "plain");
    button.type = "button";
    button.dataset.account = a.id;
    button.onclick = () => open(a.id);
    const action = el("td");
    action.append(button);
    tr.append(
      el("td", a.id, "code"),
      el("td", a.name),
      el("td", a.status, a.status === "active" ? "ok" : "bad"),
      el("td", a.priceFen === null ? "-" : yuan(a.priceFen), "num"),
      el("td", a.balanceFen === null ? "非预付" : yuan(a.balanceFen), "num"),
      el("td", a.remaining === null ? "不限" : count(a.remaining), "num"),
      el("td", a.contractEnd ?? "-"),
      action,
    );
    return tr;
  });
  byId("accounts").replaceChildren(...(rows.length ? rows : [emptyRow("没有匹配的账户 no account matches", 8)]));
  byId("accounts-count").textContent =
    `${rows.length} 个 accounts${page.next ? "（还有更多：缩小搜索 more: narrow the search）" : ""}`;
}
