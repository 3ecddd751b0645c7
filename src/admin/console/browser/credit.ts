// Credit with a confirmation: the first click shows what will be added, the second sends it.
import { apiJson } from "./api.ts";
import { byId, errorText, say } from "./dom.ts";
import { yuan } from "./format.ts";

export type AccountState = { balanceFen: number | null; remaining: number | null; reserved: number };

type Pending = { balanceFen: number; count: number };
let pending: Pending | null = null;

const amounts = (): Pending => ({
  balanceFen: Number(byId<HTMLInputElement>("credit-fen").value || 0),
  count: Number(byId<HTMLInputElement>("credit-count").value || 0),
});

export function previewCredit(): void {
  pending = null;
  byId("credit-confirm").hidden = true;
  const { balanceFen } = amounts();
  byId("credit-preview").textContent = Number.isInteger(balanceFen) && balanceFen ? `= ${yuan(balanceFen)}` : "";
}

/** First step: checks the amounts and asks for a confirmation naming them. */
export function askCredit(): void {
  const asked = amounts();
  if (!Number.isInteger(asked.balanceFen) || !Number.isInteger(asked.count)) {
    say("credit-state", "须为整数 whole numbers only", "bad");
    return;
  }
  if (asked.balanceFen === 0 && asked.count === 0) {
    say("credit-state", "金额和次数都是0 nothing to credit", "bad");
    return;
  }
  pending = asked;
  say("credit-state", `确认入账 confirm: ${yuan(asked.balanceFen)}, ${asked.count} 次?`);
  byId("credit-confirm").hidden = false;
}

/** Second step: sends the confirmed credit; the new state goes to `show`. */
export async function confirmCredit(accountPath: string, show: (state: AccountState) => void): Promise<void> {
  if (pending === null) return;
  const sent = pending;
  pending = null;
  byId("credit-confirm").hidden = true;
  byId<HTMLButtonElement>("credit").disabled = true;
  try {
    show(await apiJson<AccountState>(`${accountPath}/credit`, { method: "POST", body: sent }));
    say("credit-state", `已入账 credited ${yuan(sent.balanceFen)}, ${sent.count} 次`, "ok");
    byId<HTMLInputElement>("credit-fen").value = "0";
    byId<HTMLInputElement>("credit-count").value = "0";
    byId("credit-preview").textContent = "";
  } catch (error) {
    say("credit-state", errorText(error), "bad");
  } finally {
    byId<HTMLButtonElement>("credit").disabled = false;
  }
}
