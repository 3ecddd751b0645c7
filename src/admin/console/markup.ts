// The console's markup and style (its script is browser/, bundled into script.generated.ts). Every
// id the script looks up is here; test/admin/console.test.ts checks that each one exists.

export function consoleHtml(nonce: string, script: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>verifyMobile 运营控制台</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${BODY}
<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
}

const STYLE = `
  :root { --line: #d8dde6; --muted: #667085; --bad: #b42318; --ok: #1f7a4d; }
  body { font: 14px/1.5 system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 0 auto; max-width: 1180px; padding: 1rem 1.5rem 3rem; color: #1d2430; }
  h1 { font-size: 1.4rem; margin: .2rem 0 1rem; } h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; border-bottom: 1px solid var(--line); }
  form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: .5rem; }
  label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
  label.inline { flex-direction: row; gap: .3rem; align-items: center; }
  input { font: 13px ui-monospace, Menlo, Consolas, monospace; padding: .35rem .45rem; border: 1px solid var(--line); border-radius: 4px; }
  button { padding: .4rem .9rem; cursor: pointer; border: 1px solid #1d2430; background: #1d2430; color: #fff; border-radius: 4px; }
  button.plain { background: #fff; color: #1d2430; } button:disabled { opacity: .5; cursor: default; }
  button.warn { background: #b42318; border-color: #b42318; }
  .muted { color: var(--muted); } .bad { color: var(--bad); } .ok { color: var(--ok); }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: .75rem; }
  .card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
  .card .value { font-size: 1.6rem; font-weight: 600; font-variant-numeric: tabular-nums; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  td, th { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; white-space: nowrap; }
  th { background: #f1f3f7; font-weight: 600; } td.num, th.num { text-align: right; }
  td button { padding: .1rem .5rem; font-size: 12px; }
  .code { font-family: ui-monospace, Menlo, Consolas, monospace; }
  .scroll { max-height: 24rem; overflow: auto; border: 1px solid var(--line); }
  svg { width: 100%; height: auto; display: block; } .legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: .3rem 0; }
  .swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
  [hidden] { display: none !important; }
`;

const head = (cells: string) =>
  `<thead><tr>${cells
    .split("|")
    .map((c) => (c.startsWith("#") ? `<th class="num">${c.slice(1)}</th>` : `<th>${c}</th>`))
    .join("")}</tr></thead>`;

const BODY = `<h1>verifyMobile 运营控制台 <span class="muted">Operator console</span></h1>

<form id="token-form">
  <label>ADMIN_TOKEN <input id="token" type="password" size="44" autocomplete="off" spellcheck="false" placeholder="粘贴管理令牌 paste the admin token"></label>
  <button type="submit">使用 Use</button>
  <button type="button" class="plain" id="forget">清除 Forget</button>
  <span id="token-state" class="muted">令牌只保存在本标签页的内存中，刷新即清除 (kept in this tab's memory only)</span>
</form>

<h2>账户列表 Accounts</h2>
<form id="search-form">
  <label>搜索 名称/ID/状态 search name, id, status <input id="account-search" size="30" autocomplete="off" spellcheck="false"></label>
  <button type="submit" id="account-search-go">搜索 Search</button>
  <span id="accounts-count" class="muted"></span>
</form>
<div class="scroll"><table>${head("账户ID id|名称 name|状态 status|#单价 price|#余额 balance|#剩余 remaining|合同到期 contract end|")}<tbody id="accounts"></tbody></table></div>

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
    <button type="button" class="warn" id="credit-confirm" hidden>确认 Confirm</button>
    <span id="credit-preview" class="muted"></span>
    <span id="credit-state"></span>
  </form>
  <p class="muted">先核对，再确认；负数用于冲正 check, then confirm; negative amounts correct a mistake.</p>

  <h2>轮换 Rotation</h2>
  <form id="rotate-form">
    <label>宽限期 grace <input id="grace" size="8" autocomplete="off" value="24h" placeholder="30m, 24h, 0"></label>
    <button type="button" class="plain" id="rotate-token">轮换令牌 Rotate token</button>
    <button type="button" class="plain" id="rotate-key">轮换密钥 Rotate logonKey</button>
    <button type="button" class="warn" id="rotate-confirm" hidden>确认 Confirm</button>
    <span id="rotate-state" class="muted">旧凭证在宽限期内仍可用 the previous credential works until the grace ends</span>
  </form>
  <p><code id="rotated" class="code"></code></p>

  <h2>每日用量 Usage per day <span class="muted" id="usage-range"></span></h2>
  <div class="legend" id="legend"></div>
  <svg id="chart" viewBox="0 0 960 260" role="img" aria-label="requests per day by code"></svg>
  <table>${head("代码 code|#请求 requests|#计费 billable|#扣费 charged")}<tbody id="usage-totals"></tbody></table>

  <h2>最近的拒绝 Recent refusals</h2>
  <form id="refusal-form">
    <label>代码 code <input id="refusal-code" size="6" autocomplete="off" placeholder="307"></label>
    <button type="submit" class="plain" id="refusal-go">筛选 Filter</button>
  </form>
  <div class="scroll"><table>${head("时间 time|订单号 order|代码 code|上游 upstream")}<tbody id="refusals"></tbody></table></div>

  <h2>流水 Ledger</h2>
  <form id="ledger-form">
    <label>按订单号搜索 order number <input id="search" size="34" autocomplete="off" spellcheck="false" placeholder="VM2026…"></label>
    <button type="button" class="plain" id="csv">下载CSV Download CSV</button>
    <span id="ledger-count" class="muted"></span>
  </form>
  <div class="scroll"><table>${head("时间 time|订单号 order|代码 code|结果 return|#扣费 charged|重复 dup|上游 upstream")}<tbody id="ledger"></tbody></table></div>
</section>

<h2>上游 Upstreams</h2>
<form id="upstreams-form">
  <button type="submit" class="plain" id="upstreams-go">载入 Load</button>
  <span id="upstreams-note" class="muted">范围同上 over the range above</span>
</form>
<table>${head("上游 upstream|#调用 attempts|#故障 faults|#故障率 fault share|代码 codes")}<tbody id="upstreams"></tbody></table>
<div class="scroll"><table>${head("时间 time|上游 upstream|代码 code|#耗时 ms|订单号 order")}<tbody id="upstream-recent"></tbody></table></div>

<h2>告警 Alerts</h2>
<form id="alert-form">
  <button type="submit" class="plain" id="alert-test">发送测试告警 Send a test alert</button>
  <span id="alert-state" class="muted">发往 ALERT_WEBHOOK_URL，已签名 signed, to ALERT_WEBHOOK_URL</span>
</form>

<h2>成本与毛利 Spend and margin</h2>
<form id="spend-form">
  <label class="inline"><input id="spend-one" type="checkbox"> 仅当前账户 this account only</label>
  <button type="submit" class="plain" id="spend-go">载入 Load</button>
  <button type="button" class="plain" id="spend-csv">下载CSV Download CSV</button>
</form>
<p id="spend-total" class="muted"></p>
<div class="scroll"><table>${head("日期 day|账户 account|上游 vendor|#调用 calls|#可能调用 maybe|#成本 cost|#收入 revenue|#毛利 margin")}<tbody id="spend"></tbody></table></div>`;
