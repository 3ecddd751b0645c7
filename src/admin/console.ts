// GET /admin/console: the operator's page over the /admin API (docs/contract.md §10). One
// self-contained document, served without authentication because it holds nothing: the operator
// pastes ADMIN_TOKEN into it, the token lives in a JavaScript variable of that tab only (never a
// URL, cookie or storage) and goes out only as the Authorization header of same-origin fetches.
// The CSP lets nothing but this response's own script and style run, and forbids framing and
// form submission (a page that failed to script cannot post the token anywhere).
import { randomBase64Url } from "../crypto/bytes.ts";

const NONCE = "{{nonce}}";

export function consoleResponse(): Response {
  // A fresh nonce per response: only the inline script and style below carry it.
  const nonce = randomBase64Url(18);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return new Response(CONSOLE_PAGE.replaceAll(NONCE, nonce), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": csp,
      "Cache-Control": "no-store",
    },
  });
}

// The script avoids template literals so that this file's String.raw needs no escaping.
export const CONSOLE_PAGE = String.raw`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>verifyMobile 运营控制台</title>
<style nonce="${NONCE}">
  :root { --line: #d8dde6; --muted: #667085; --bad: #b42318; --ok: #1f7a4d; }
  body { font: 14px/1.5 system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 0 auto; max-width: 1180px; padding: 1rem 1.5rem 3rem; color: #1d2430; }
  h1 { font-size: 1.4rem; margin: .2rem 0 1rem; } h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; border-bottom: 1px solid var(--line); }
  form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
  label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
  input { font: 13px ui-monospace, Menlo, Consolas, monospace; padding: .35rem .45rem; border: 1px solid var(--line); border-radius: 4px; }
  button { padding: .4rem .9rem; cursor: pointer; border: 1px solid #1d2430; background: #1d2430; color: #fff; border-radius: 4px; }
  button.plain { background: #fff; color: #1d2430; } button:disabled { opacity: .5; cursor: default; }
  .muted { color: var(--muted); } .bad { color: var(--bad); } .ok { color: var(--ok); }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: .75rem; }
  .card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
  .card .value { font-size: 1.6rem; font-weight: 600; font-variant-numeric: tabular-nums; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  td, th { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; white-space: nowrap; }
  th { background: #f1f3f7; font-weight: 600; } td.num, th.num { text-align: right; }
  .code { font-family: ui-monospace, Menlo, Consolas, monospace; }
  .scroll { max-height: 32rem; overflow: auto; border: 1px solid var(--line); }
  svg { width: 100%; height: auto; display: block; } .legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: .3rem 0; }
  .swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<h1>verifyMobile 运营控制台 <span class="muted">Operator console</span></h1>

<form id="token-form">
  <label>ADMIN_TOKEN <input id="token" type="password" size="44" autocomplete="off" spellcheck="false" placeholder="粘贴管理令牌 paste the admin token"></label>
  <button type="submit">使用 Use</button>
  <button type="button" class="plain" id="forget">清除 Forget</button>
  <span id="token-state" class="muted">令牌只保存在本标签页的内存中，刷新即清除 (kept in this tab's memory only)</span>
</form>

<h2>账户 Account</h2>
<form id="account-form">
  <label>账户ID account id <input id="account" size="24" autocomplete="off" spellcheck="false" placeholder="acc_0123456789abcdef"></label>
  <label>起始日 from <input id="from" type="date"></label>
  <label>截止日 to <input id="to" type="date"></label>
  <button type="submit" id="load">载入 Load</button>
  <span id="status" class="muted"></span>
</form>

<section id="account-view" hidden>
  <h2>余额与次数 Balance <span class="muted code" id="account-id"></span></h2>
  <div class="cards">
    <div class="card"><div class="muted">余额 balance</div><div class="value" id="balance"></div><div class="muted" id="balance-fen"></div></div>
    <div class="card"><div class="muted">剩余次数 remaining</div><div class="value" id="remaining"></div></div>
    <div class="card"><div class="muted">进行中的预留 reservations</div><div class="value" id="reserved"></div><div class="muted">已预留、尚未结算的请求 reserved, not yet settled</div></div>
  </div>

  <h2>入账 Credit</h2>
  <form id="credit-form">
    <label>金额（分）balanceFen <input id="credit-fen" type="number" step="1" value="0"></label>
    <label>次数 count <input id="credit-count" type="number" step="1" value="0"></label>
    <button type="submit" id="credit">入账 Credit</button>
    <span id="credit-preview" class="muted"></span>
    <span id="credit-state"></span>
  </form>
  <p class="muted">负数用于冲正 negative amounts correct a mistake.</p>

  <h2>每日用量 Usage per day <span class="muted" id="usage-range"></span></h2>
  <div class="legend" id="legend"></div>
  <svg id="chart" viewBox="0 0 960 260" role="img" aria-label="requests per day by code"></svg>
  <table><thead><tr><th>代码 code</th><th class="num">请求 requests</th><th class="num">计费 billable</th><th class="num">扣费 charged</th></tr></thead><tbody id="usage-totals"></tbody></table>

  <h2>流水 Ledger</h2>
  <form id="ledger-form">
    <label>按订单号搜索 order number <input id="search" size="34" autocomplete="off" spellcheck="false" placeholder="VM2026…"></label>
    <button type="button" class="plain" id="csv">下载CSV Download CSV</button>
    <span id="ledger-count" class="muted"></span>
  </form>
  <div class="scroll"><table><thead><tr><th>时间 time</th><th>订单号 order</th><th>代码 code</th><th>结果 return</th><th class="num">扣费 charged</th><th>重复 dup</th><th>上游 upstream</th></tr></thead><tbody id="ledger"></tbody></table></div>
</section>

<script nonce="${NONCE}">
"use strict";
const $ = (id) => document.getElementById(id);
const el = (tag, text, className) => { const e = document.createElement(tag); if (text != null) e.textContent = String(text); if (className) e.className = className; return e; };
const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attributes) => { const e = document.createElementNS(SVG, tag); for (const k in attributes) e.setAttribute(k, attributes[k]); return e; };
const DAY_MS = 86400000;
const CHINA_MS = 8 * 3600000;
// More pages than this and the range is too wide to look at here: the CSV has them all.
const MAX_PAGES = 50;

// The token: in this variable only.
let token = null;
let ledgerRows = [];

const chinaDay = (ms) => new Date(ms + CHINA_MS).toISOString().slice(0, 10);
const chinaTime = (ms) => new Date(ms + CHINA_MS).toISOString().slice(0, 19).replace("T", " ");
const yuan = (fen) => (fen < 0 ? "-" : "") + "¥" + (Math.abs(fen) / 100).toFixed(2).replace(/\B(?=(\d{3})+\.)/g, ",");
const count = (n) => n.toLocaleString("en-US");

function setStatus(text, kind) { $("status").textContent = text; $("status").className = kind || "muted"; }

async function api(path, init) {
  if (!token) throw new Error("先粘贴管理令牌 paste the admin token first");
  const headers = { Authorization: "Bearer " + token };
  if (init && init.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, Object.assign({}, init, { headers, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" }));
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 200);
    try { message = JSON.parse(text).error || message; } catch (e) { /* not JSON: the text itself */ }
    throw new Error(response.status === 401 ? "401 令牌无效 the token was refused" : response.status + " " + message);
  }
  return text;
}

const accountPath = () => "/admin/accounts/" + encodeURIComponent($("account").value.trim());
const range = () => "from=" + encodeURIComponent($("from").value) + "&to=" + encodeURIComponent($("to").value);

function showState(state) {
  $("balance").textContent = state.balanceFen == null ? "非预付" : yuan(state.balanceFen);
  $("balance-fen").textContent = state.balanceFen == null ? "not prepaid" : count(state.balanceFen) + " 分 fen";
  $("remaining").textContent = state.remaining == null ? "不限 unmetered" : count(state.remaining);
  $("reserved").textContent = count(state.reserved);
}

// One colour per code: 200 green, the others from a fixed palette in code order.
const PALETTE = ["#f59e0b", "#ef4444", "#8b5cf6", "#0ea5e9", "#ec4899", "#14b8a6", "#a16207", "#64748b", "#dc2626", "#7c3aed", "#0f766e", "#b45309"];
function colours(codes) {
  const out = {};
  let i = 0;
  for (const code of codes) out[code] = code === "200" ? "#2e7d32" : PALETTE[i++ % PALETTE.length];
  return out;
}

function days(from, to) {
  const out = [];
  for (let t = Date.parse(from + "T00:00:00Z"), end = Date.parse(to + "T00:00:00Z"); t <= end && out.length < 400; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function drawUsage(report) {
  const codes = [...new Set(report.rows.map((r) => r.errorCode))].sort();
  const colour = colours(codes);
  const dayList = days(report.from, report.to);
  const perDay = {};
  for (const r of report.rows) (perDay[r.day] = perDay[r.day] || {})[r.errorCode] = r.requests;
  const totals = dayList.map((d) => codes.reduce((sum, c) => sum + ((perDay[d] || {})[c] || 0), 0));
  const top = Math.max(1, ...totals);
  const chart = $("chart");
  chart.replaceChildren();
  const [left, right, topPad, bottom] = [48, 12, 12, 40];
  const width = 960 - left - right, height = 260 - topPad - bottom;
  const slot = width / dayList.length, bar = Math.max(2, Math.min(48, slot * 0.7));
  for (const fraction of [0, 0.5, 1]) {
    const y = topPad + height * (1 - fraction);
    chart.append(svg("line", { x1: left, x2: left + width, y1: y, y2: y, stroke: "#d8dde6" }));
    const label = svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", "font-size": 11, fill: "#667085" });
    label.textContent = String(Math.round(top * fraction));
    chart.append(label);
  }
  const labelEvery = Math.ceil(dayList.length / 15);
  dayList.forEach((day, i) => {
    const x = left + slot * i + (slot - bar) / 2;
    let y = topPad + height;
    for (const code of codes) {
      const n = (perDay[day] || {})[code] || 0;
      if (!n) continue;
      const h = (n / top) * height;
      y -= h;
      const rect = svg("rect", { x, y, width: bar, height: h, fill: colour[code], "data-code": code, "data-day": day });
      const title = svg("title", {});
      title.textContent = day + " " + code + ": " + n;
      rect.append(title);
      chart.append(rect);
    }
    if (i % labelEvery === 0) {
      const label = svg("text", { x: x + bar / 2, y: topPad + height + 16, "text-anchor": "middle", "font-size": 11, fill: "#667085" });
      label.textContent = day.slice(5);
      chart.append(label);
    }
  });
  $("legend").replaceChildren(...codes.map((code) => {
    const item = el("span", null, "code");
    const swatch = el("span", null, "swatch");
    swatch.style.background = colour[code];
    item.append(swatch, code);
    return item;
  }));
  $("usage-range").textContent = report.from + " … " + report.to;
  const sums = {};
  for (const r of report.rows) {
    const s = (sums[r.errorCode] = sums[r.errorCode] || { requests: 0, billable: 0, chargedFen: 0 });
    s.requests += r.requests; s.billable += r.billable; s.chargedFen += r.chargedFen;
  }
  $("usage-totals").replaceChildren(...codes.map((code) => {
    const tr = el("tr");
    tr.append(el("td", code, "code"), el("td", count(sums[code].requests), "num"), el("td", count(sums[code].billable), "num"), el("td", yuan(sums[code].chargedFen), "num"));
    return tr;
  }));
  if (!codes.length) {
    const empty = el("td", "此范围内没有请求 no requests in this range", "muted");
    empty.colSpan = 4;
    const tr = el("tr");
    tr.append(empty);
    $("usage-totals").append(tr);
  }
}

function attemptsText(row) {
  const attempts = Array.isArray(row.attempts) ? row.attempts : [];
  return attempts.map((a) => a.upstream + " " + (a.code == null ? "-" : a.code) + " " + a.ms + "ms").join(", ");
}

function showLedger() {
  const query = $("search").value.trim().toLowerCase();
  const shown = query ? ledgerRows.filter((r) => String(r.orderNo).toLowerCase().includes(query)) : ledgerRows;
  $("ledger").replaceChildren(...shown.map((r) => {
    const tr = el("tr");
    tr.append(el("td", chinaTime(r.at)), el("td", r.orderNo, "code"), el("td", r.errorCode, "code"), el("td", r.returnCode, "code"),
      el("td", yuan(r.chargedFen), "num"), el("td", r.duplicate ? "是 yes" : ""), el("td", attemptsText(r), "muted"));
    return tr;
  }));
  $("ledger-count").textContent = (query ? shown.length + " / " : "") + ledgerRows.length + " 行 rows";
}

async function loadLedger() {
  const rows = [];
  let cursor = null;
  let pages = 0;
  do {
    const page = JSON.parse(await api(accountPath() + "/ledger?" + range() + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")));
    rows.push(...page.rows);
    cursor = page.next || null;
  } while (cursor && ++pages < MAX_PAGES);
  ledgerRows = rows;
  showLedger();
  if (cursor) $("ledger-count").textContent += "，仅显示前 " + rows.length + " 行：缩小日期范围或下载CSV (first " + rows.length + " rows only)";
}

async function loadAccount(event) {
  event.preventDefault();
  if (!$("account").value.trim()) return setStatus("请输入账户ID enter an account id", "bad");
  setStatus("载入中 loading…");
  try {
    const state = JSON.parse(await api(accountPath()));
    $("account-id").textContent = $("account").value.trim();
    showState(state);
    drawUsage(JSON.parse(await api(accountPath() + "/usage?" + range())));
    await loadLedger();
    $("account-view").hidden = false;
    setStatus("已载入 loaded " + chinaTime(Date.now()), "ok");
  } catch (e) {
    setStatus(e.message, "bad");
  }
}

async function credit(event) {
  event.preventDefault();
  const balanceFen = Number($("credit-fen").value || 0), creditCount = Number($("credit-count").value || 0);
  if (!Number.isInteger(balanceFen) || !Number.isInteger(creditCount)) return ($("credit-state").textContent = "须为整数 whole numbers only");
  $("credit").disabled = true;
  try {
    showState(JSON.parse(await api(accountPath() + "/credit", { method: "POST", body: JSON.stringify({ balanceFen, count: creditCount }) })));
    $("credit-state").textContent = "已入账 credited " + yuan(balanceFen) + ", " + creditCount + " 次";
    $("credit-state").className = "ok";
    $("credit-fen").value = "0";
    $("credit-count").value = "0";
    previewCredit();
  } catch (e) {
    $("credit-state").textContent = e.message;
    $("credit-state").className = "bad";
  } finally {
    $("credit").disabled = false;
  }
}

function previewCredit() {
  const fen = Number($("credit-fen").value || 0);
  $("credit-preview").textContent = Number.isInteger(fen) && fen ? "= " + yuan(fen) : "";
}

async function downloadCsv() {
  try {
    const csv = await api(accountPath() + "/ledger?" + range() + "&format=csv");
    const link = el("a");
    link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    link.download = "ledger-" + $("account").value.trim() + "-" + $("from").value + "-" + $("to").value + ".csv";
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (e) {
    setStatus(e.message, "bad");
  }
}

async function useToken(event) {
  event.preventDefault();
  token = $("token").value.trim() || null;
  $("token").value = "";
  if (!token) return;
  // Any id that cannot exist: 404 "no such account" means the token passed.
  try {
    await api("/admin/accounts/acc_0000000000000000");
    $("token-state").textContent = "令牌可用 token accepted";
  } catch (e) {
    const accepted = e.message.startsWith("404 no such account");
    if (!accepted) token = null;
    $("token-state").textContent = accepted ? "令牌可用 token accepted" : e.message;
    $("token-state").className = accepted ? "ok" : "bad";
  }
}

function forget() {
  token = null;
  ledgerRows = [];
  $("account-view").hidden = true;
  $("token-state").textContent = "已清除 forgotten";
  $("token-state").className = "muted";
}

const today = chinaDay(Date.now());
$("from").value = chinaDay(Date.now() - 6 * DAY_MS);
$("to").value = today;
$("token-form").onsubmit = useToken;
$("forget").onclick = forget;
$("account-form").onsubmit = loadAccount;
$("credit-form").onsubmit = credit;
$("credit-fen").oninput = previewCredit;
$("ledger-form").onsubmit = (event) => event.preventDefault();
$("search").oninput = showLedger;
$("csv").onclick = downloadCsv;
</script>
</body>
</html>
`;
