// GET /docs: one self-contained page (no CDN, no external script or font) that renders
// /openapi.json and offers a small "try it" form. Everything it shows comes from the document (its
// Chinese from zh.ts); the page itself knows only where that lives. Text goes in via textContent.
// The whole page switches between English and Chinese (?lang=zh, or the browser's language): the
// headings and labels by their data-zh, the document's prose from zh.ts, inlined as a JSON data
// block (not script, so the CSP's nonce need not cover it). Only the nonce-tagged script and style run.
import { docsChinese } from "./zh.ts";

/** Replaced by each response's own nonce (index.ts). */
export const NONCE = "{{nonce}}";
const CHINESE = "{{zh}}";

let page: string | undefined;

/** The page with its Chinese inlined (`<` escaped, so no text can close the data block), built once. */
export function docsPage(): string {
  page ??= PAGE.replace(CHINESE, () => JSON.stringify(docsChinese()).replaceAll("<", "\\u003c"));
  return page;
}

const PAGE = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>verifyMobile API</title>
<style nonce="${NONCE}">
  body { font: 15px/1.5 system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem 3rem; color: #1d2430; }
  h1 { margin-bottom: 0; } h2 { margin-top: 2rem; border-bottom: 1px solid #d8dde6; }
  code, pre, input { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
  code { background: #f1f3f7; padding: 0 .25em; border-radius: 3px; }
  pre { background: #f6f8fa; padding: .75rem; overflow: auto; white-space: pre-wrap; word-break: break-all; }
  table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #d8dde6; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  th { background: #f1f3f7; } td:first-child { white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; }
  .method { background: #1f7a4d; color: #fff; padding: .1rem .5rem; border-radius: 3px; font-weight: 600; }
  form { display: grid; grid-template-columns: 9rem 1fr; gap: .4rem .75rem; align-items: center; }
  fieldset { border: 1px solid #d8dde6; margin: 1rem 0; } input { padding: .3rem; width: 100%; box-sizing: border-box; }
  button { padding: .35rem 1rem; cursor: pointer; } .muted { color: #667085; } #error { color: #b42318; }
  .lang-switch { float: right; margin-top: 1.2rem; } .row { display: flex; gap: .5rem; }
</style>
</head>
<body>
<p class="lang-switch"><button type="button" id="lang">中文</button></p>
<h1>verifyMobile API</h1>
<p class="muted"><span data-zh="内容来自">Rendered from</span> <a href="/openapi.json">/openapi.json</a> (OpenAPI <span id="oas"></span>). <span id="error"></span></p>
<div id="intro"></div>

<h2 data-zh="接口">Endpoint</h2>
<p><span class="method">POST</span> <code id="path"></code> — <span id="summary"></span></p>
<p><span data-zh="请求体">Body</span>: <span id="types"></span>. <span id="body-note"></span></p>

<h2 data-zh="请求参数">Request fields</h2>
<table><thead><tr><th data-zh="字段">field</th><th data-zh="类型">type</th><th data-zh="约束">constraints</th><th data-zh="含义">meaning</th></tr></thead><tbody id="fields"></tbody></table>

<h2 data-zh="返回结构">Response body</h2>
<p id="response-note"></p>
<table><thead><tr><th data-zh="字段">field</th><th data-zh="类型">type</th><th data-zh="含义">meaning</th></tr></thead><tbody id="envelope"></tbody></table>

<h2 data-zh="返回码">Codes</h2>
<div id="codes"></div>

<h2 data-zh="在线调试">Try it</h2>
<fieldset><legend><span data-zh="可选：在此生成">Optional: make</span> <code>logon</code> <span data-zh="（在本浏览器内用AES-CBC加密；按“发送”之前不会发出任何内容）">here (AES-CBC in this browser; nothing is sent until you press Send)</span></legend>
<form id="encrypt" method="post">
  <label for="key">logonKey</label><input id="key" placeholder="16 or 32 characters, e.g. demo-logon-key16" data-zh-placeholder="16或32个字符，例如 demo-logon-key16" autocomplete="off">
  <label for="idCard">idCard</label><input id="idCard" placeholder="110101199003071233" autocomplete="off">
  <label for="userName">userName</label><input id="userName" placeholder="张三" autocomplete="off">
  <label for="loginphone">loginphone</label><input id="loginphone" placeholder="13800138000" autocomplete="off">
  <span></span><div><button type="submit" data-zh="加密生成 logon">Encrypt into logon</button></div>
</form></fieldset>
<form id="try" method="post">
  <label for="token">token</label><input id="token" name="token" placeholder="vmt_…" autocomplete="off">
  <label for="iv">iv</label><div class="row"><input id="iv" name="iv"><button type="button" id="new-iv" data-zh="换一个">new</button></div>
  <label for="logon">logon</label><input id="logon" name="logon" placeholder="base64" autocomplete="off">
  <span></span><div><button type="submit" data-zh="发送">Send</button> <span class="muted" id="order"></span></div>
</form>
<pre id="answer" class="muted"><span data-zh="返回的响应体显示在这里。">The response body appears here.</span></pre>

<script type="application/json" id="zh">${CHINESE}</script>
<script nonce="${NONCE}">
"use strict";
const $ = (id) => document.getElementById(id);
const el = (tag, text) => { const e = document.createElement(tag); e.textContent = text == null ? "" : String(text); return e; };
const row = (cells) => { const tr = el("tr"); for (const c of cells) tr.append(el("td", c)); return tr; };

// Just enough Markdown for the document's prose: paragraphs, "- " lists, "|" tables, \`code\` and **bold**.
function markdown(text) {
  const box = document.createElement("div");
  for (const block of text.split("\\n\\n")) {
    const lines = block.split("\\n");
    if (lines[0].startsWith("|")) { box.append(table(lines)); continue; }
    const p = el("p");
    inline(p, lines.filter((l) => !l.startsWith("- ")).join(" "));
    box.append(p);
    const items = lines.filter((l) => l.startsWith("- "));
    if (items.length) { const ul = el("ul"); for (const l of items) inline(ul.appendChild(el("li")), l.slice(2)); box.append(ul); }
  }
  return box;
}
function table(lines) {
  const cells = (line) => line.slice(2, -2).split(" | ");
  const t = el("table"), head = t.appendChild(el("thead")).appendChild(el("tr")), body = t.appendChild(el("tbody"));
  for (const c of cells(lines[0])) head.append(el("th", c));
  for (const line of lines.slice(2)) { const tr = body.appendChild(el("tr")); for (const c of cells(line)) inline(tr.appendChild(el("td")), c); }
  return t;
}
function inline(parent, text) {
  for (const part of text.split(/(\`[^\`]*\`|\\*\\*[^*]*\\*\\*)/)) {
    if (part.startsWith("\`")) parent.append(el("code", part.slice(1, -1)));
    else if (part.startsWith("**")) parent.append(el("b", part.slice(2, -2)));
    else parent.append(part);
  }
}
function typeOf(s) {
  if (s.$ref) return s.$ref.split("/").pop();
  if (s.anyOf) return s.anyOf.map((x) => typeOf(x)).join(" | ");
  const t = [].concat(s.type || "any").join(" | ");
  return s.enum ? t + " (" + s.enum.map((v) => JSON.stringify(v)).join(", ") + ")" : t;
}
const WORDS = { minLength: "minLength", maxLength: "maxLength", pattern: "pattern", examples: "e.g." };
function constraints(s, words) {
  const out = [];
  if (s.minLength != null) out.push(words.minLength + " " + s.minLength);
  if (s.maxLength != null) out.push(words.maxLength + " " + s.maxLength);
  if (s.pattern) out.push(words.pattern + " " + s.pattern);
  if (s.examples) out.push(words.examples + " " + s.examples.join(", "));
  return out.join("; ");
}

// The document's prose in the page's language: the document's own English, or zh.ts's Chinese.
const ZH = JSON.parse($("zh").textContent);
let doc = null;
function render() {
  if (!doc) return;
  const zh = lang === "zh" ? ZH : null;
  const [path, item] = Object.entries(doc.paths).find(([, v]) => v.post);
  const op = item.post;
  const schemas = doc.components.schemas;
  $("oas").textContent = doc.openapi;
  document.title = doc.info.title;
  $("intro").replaceChildren(markdown(zh ? zh.intro : doc.info.description));
  $("path").textContent = path;
  $("summary").textContent = zh ? zh.summary : op.summary;
  $("types").textContent = Object.keys(op.requestBody.content).join(", ");
  $("body-note").textContent = zh ? zh.bodyNote : op.requestBody.description;
  const req = schemas.VerifyMobileRequest;
  $("fields").replaceChildren(...Object.entries(req.properties).map(([name, s]) =>
    row([name + (req.required.includes(name) ? " *" : ""), typeOf(s), constraints(s, zh ? zh.words : WORDS), zh ? zh.fields[name] : s.description])));
  const ok = op.responses["200"];
  $("response-note").textContent = zh ? zh.responseNote : ok.description + " Header " + Object.keys(ok.headers).join(", ") + ": " + Object.values(ok.headers)[0].description;
  // A field's own description, else that of the component it refers to (info.matchCode → MatchCode).
  const about = (name, s) => zh ? zh.envelope[name] : s.description || (s.anyOf || []).map((x) => x.$ref && schemas[typeOf(x)].description).find(Boolean);
  $("envelope").replaceChildren(
    ...Object.entries(schemas.Envelope.properties).map(([name, s]) => row([name, typeOf(s), about(name, s)])),
    ...Object.entries(schemas.Info.properties).map(([name, s]) => row(["info." + name, typeOf(s), about("info." + name, s)])));
  $("codes").replaceChildren(markdown(zh ? zh.codes : op.description));
  $("try").action = path;
}

// 16 random ASCII characters: an iv whose UTF-8 bytes are exactly 16.
function newIv() {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  $("iv").value = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => abc[b % abc.length]).join("");
}

async function encrypt(event) {
  event.preventDefault();
  const utf8 = new TextEncoder();
  try {
    if (!crypto.subtle) throw new Error("WebCrypto needs https or localhost");
    const key = await crypto.subtle.importKey("raw", utf8.encode($("key").value), "AES-CBC", false, ["encrypt"]);
    const plain = JSON.stringify({ idCard: $("idCard").value, userName: $("userName").value, loginphone: $("loginphone").value });
    const bytes = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv: utf8.encode($("iv").value) }, key, utf8.encode(plain)));
    $("logon").value = btoa(String.fromCharCode(...bytes));
  } catch (e) {
    $("answer").textContent = say("Cannot encrypt: ", "无法加密：") + e.message + say(" (logonKey must be 16 or 32 characters, iv 16 ASCII characters)", "（logonKey须为16或32个字符，iv须为16个ASCII字符）");
  }
}

async function send(event) {
  event.preventDefault();
  $("answer").textContent = "…";
  $("answer").className = "";
  try {
    const response = await fetch($("try").action, { method: "POST", body: new URLSearchParams(new FormData($("try"))) });
    $("order").textContent = "X-Order-No: " + (response.headers.get("X-Order-No") || say("none", "无"));
    const text = await response.text();
    try { $("answer").textContent = JSON.stringify(JSON.parse(text), null, 2); } catch { $("answer").textContent = text; }
  } catch (e) {
    $("answer").textContent = say("Request failed: ", "请求失败：") + e.message;
  }
}

// English is what the HTML says; an element's Chinese is its data-zh (data-zh-placeholder for a
// placeholder). The choice goes into the address (?lang=) so a link shows the same language.
let lang = "en";
const say = (en, zh) => (lang === "zh" ? zh : en);
function setLanguage(next) {
  lang = next === "zh" ? "zh" : "en";
  document.documentElement.lang = say("en", "zh-CN");
  for (const e of document.querySelectorAll("[data-zh]")) {
    e.dataset.en ??= e.textContent;
    e.textContent = say(e.dataset.en, e.dataset.zh);
  }
  for (const e of document.querySelectorAll("[data-zh-placeholder]")) {
    e.dataset.enPlaceholder ??= e.placeholder;
    e.placeholder = say(e.dataset.enPlaceholder, e.dataset.zhPlaceholder);
  }
  $("lang").textContent = say("中文", "English");
  render();
  const url = new URL(location.href);
  url.searchParams.set("lang", lang);
  history.replaceState(null, "", url);
}

// A logon is bound to the iv it was encrypted with: a new iv makes it useless.
$("new-iv").onclick = () => { newIv(); $("logon").value = ""; };
$("encrypt").onsubmit = encrypt;
$("try").onsubmit = send;
$("lang").onclick = () => setLanguage(say("zh", "en"));
setLanguage(new URLSearchParams(location.search).get("lang") || (navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en"));
newIv();
fetch("/openapi.json")
  .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
  .then((loaded) => { doc = loaded; render(); })
  .catch((e) => { $("error").textContent = say("Could not load the document: ", "无法加载接口文档：") + e.message; });
</script>
</body>
</html>
`;
