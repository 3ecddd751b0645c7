// The operator console's script (served by GET /admin/console, bundled by scripts/build-console.ts):
// wires the page's forms to the admin API. Everything it shows comes from /admin behind the token.
import { searchAccounts } from "./accounts.ts";
import { apiJson, hasToken, setToken } from "./api.ts";
import { type AccountState, askCredit, confirmCredit, previewCredit } from "./credit.ts";
import { byId, errorText, inputValue, say } from "./dom.ts";
import { chinaDay, chinaTime, count, DAY_MS, yuan } from "./format.ts";
import { downloadLedger, forgetLedger, loadLedger, showLedger } from "./ledger.ts";
import { loadRefusals } from "./refusals.ts";
import { askRotation, confirmRotation } from "./rotate.ts";
import { downloadSpend, loadSpend } from "./spend.ts";
import { loadUpstreams } from "./upstreams.ts";
import { drawUsage, type UsageReport } from "./usage.ts";

const accountPath = () => `/admin/accounts/${encodeURIComponent(inputValue("account"))}`;
const range = () => `from=${encodeURIComponent(inputValue("from"))}&to=${encodeURIComponent(inputValue("to"))}`;

function showState(state: AccountState): void {
  byId("balance").textContent = state.balanceFen === null ? "非预付" : yuan(state.balanceFen);
  byId("balance-fen").textContent = state.balanceFen === null ? "not prepaid" : `${count(state.balanceFen)} 分 fen`;
  byId("remaining").textContent = state.remaining === null ? "不限 unmetered" : count(state.remaining);
  byId("reserved").textContent = count(state.reserved);
}

/** Runs one action of the page, its failure said in `statusId`. */
const guarded =
  (statusId: string, action: () => Promise<void>) =>
  async (event?: Event): Promise<void> => {
    event?.preventDefault();
    try {
      await action();
    } catch (error) {
      say(statusId, errorText(error), "bad");
    }
  };

async function loadAccount(): Promise<void> {
  if (!inputValue("account")) {
    say("status", "请输入账户ID enter an account id", "bad");
    return;
  }
  say("status", "载入中 loading…");
  showState(await apiJson<AccountState>(accountPath()));
  byId("account-id").textContent = inputValue("account");
  drawUsage(await apiJson<UsageReport>(`${accountPath()}/usage?${range()}`));
  await loadRefusals(accountPath(), range());
  await loadLedger(accountPath(), range());
  byId("account-view").hidden = false;
  say("status", `已载入 loaded ${chinaTime(Date.now())}`, "ok");
}

function openAccount(id: string): void {
  byId<HTMLInputElement>("account").value = id;
  void guarded("status", loadAccount)();
}

async function useToken(): Promise<void> {
  setToken(inputValue("token") || null);
  byId<HTMLInputElement>("token").value = "";
  if (!hasToken()) return;
  // An id that cannot exist: 404 "no such account" means the token passed.
  try {
    await apiJson("/admin/accounts/acc_0000000000000000");
    say("token-state", "令牌可用 token accepted", "ok");
  } catch (error) {
    const accepted = errorText(error).startsWith("404 no such account");
    if (!accepted) setToken(null);
    say("token-state", accepted ? "令牌可用 token accepted" : errorText(error), accepted ? "ok" : "bad");
  }
}

function forget(): void {
  setToken(null);
  forgetLedger();
  byId("rotated").textContent = "";
  byId("account-view").hidden = true;
  say("token-state", "已清除 forgotten");
}

const today = chinaDay(Date.now());
byId<HTMLInputElement>("from").value = chinaDay(Date.now() - 6 * DAY_MS);
byId<HTMLInputElement>("to").value = today;
byId<HTMLFormElement>("token-form").onsubmit = guarded("token-state", useToken);
byId("forget").onclick = forget;
byId<HTMLFormElement>("search-form").onsubmit = guarded("accounts-count", () => searchAccounts(openAccount));
byId<HTMLFormElement>("account-form").onsubmit = guarded("status", loadAccount);
byId<HTMLFormElement>("credit-form").onsubmit = (event) => {
  event.preventDefault();
  askCredit();
};
byId("credit-confirm").onclick = guarded("credit-state", () => confirmCredit(accountPath(), showState));
byId("credit-fen").oninput = previewCredit;
byId("credit-count").oninput = previewCredit;
byId<HTMLFormElement>("rotate-form").onsubmit = (event) => event.preventDefault();
byId("rotate-token").onclick = () => askRotation("token");
byId("rotate-key").onclick = () => askRotation("key");
byId("rotate-confirm").onclick = guarded("rotate-state", () => confirmRotation(accountPath()));
byId<HTMLFormElement>("refusal-form").onsubmit = guarded("status", () => loadRefusals(accountPath(), range()));
byId<HTMLFormElement>("ledger-form").onsubmit = (event) => event.preventDefault();
byId("search").oninput = showLedger;
byId("csv").onclick = guarded("status", () =>
  downloadLedger(
    accountPath(),
    range(),
    `ledger-${inputValue("account")}-${inputValue("from")}-${inputValue("to")}.csv`,
  ),
);
byId<HTMLFormElement>("upstreams-form").onsubmit = guarded("upstreams-note", () => loadUpstreams(range()));
byId<HTMLFormElement>("alert-form").onsubmit = guarded("alert-state", async () => {
  const { queued } = await apiJson<{ queued: string }>("/admin/alerts/test", { method: "POST", body: {} });
  say("alert-state", `已排队 queued ${queued}`, "ok");
});
byId<HTMLFormElement>("spend-form").onsubmit = guarded("spend-total", () =>
  loadSpend(range(), byId<HTMLInputElement>("spend-one").checked ? inputValue("account") : ""),
);
byId("spend-csv").onclick = guarded("spend-total", () =>
  downloadSpend(
    range(),
    byId<HTMLInputElement>("spend-one").checked ? inputValue("account") : "",
    `spend-${inputValue("from")}-${inputValue("to")}.csv`,
  ),
);
