// The account's newest refusals (GET …/refusals), all codes or one.
import { apiJson } from "./api.ts";
import { byId, el, emptyRow, inputValue } from "./dom.ts";
import { chinaTime } from "./format.ts";
import { attemptsText, type LedgerRow } from "./ledger.ts";

export async function loadRefusals(accountPath: string, range: string): Promise<void> {
  const code = inputValue("refusal-code");
  const answer = await apiJson<{ rows: LedgerRow[] }>(
    `${accountPath}/refusals?${range}&limit=100${code ? `&code=${encodeURIComponent(code)}` : ""}`,
  );
  const rows = answer.rows.map((r) => {
    const tr = el("tr");
    tr.append(
      el("td", chinaTime(r.at)),
      el("td", r.orderNo, "code"),
      el("td", r.errorCode, "code"),
      el("td", attemptsText(r), "muted"),
    );
    return tr;
  });
  byId("refusals").replaceChildren(...(rows.length ? rows : [emptyRow("没有拒绝 no refusals", 4)]));
}
