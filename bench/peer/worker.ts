// The peer (bench only, docs/benchmark.md "Peer"): the straightforward design a user would write from
// the same brief, to measure ours against. A Hono Worker: the token's account from KV, the logon
// decrypted with WebCrypto, a KV key per identity for duplicates, then juhe (plain mode). No exact
// billing, no ledger, no limits, no caches. Accounts are `token:<token>` → {accountId, logonKey}.
import { Hono } from "hono";

export type Bindings = { KV: KVNamespace; JUHE_URL: string; JUHE_KEY: string };
type Account = { accountId: string; logonKey: string };
type Logon = { idCard?: unknown; userName?: unknown; loginphone?: unknown };
type JuheAnswer = { error_code: number; result: { res: number; rescode?: string | null; orderid?: string } | null };

const utf8 = new TextEncoder();
const app = new Hono<{ Bindings: Bindings }>();

const refuse = (errorCode: string, errorReason: string) =>
  Response.json({ errorCode, errorReason, returnCode: "0", info: null });

app.post("/api/personalInfo/verifyMobile", async (c) => {
  const { token, iv, logon } = await c.req.parseBody();
  if (typeof token !== "string" || typeof iv !== "string" || typeof logon !== "string")
    return refuse("301", "缺少参数");

  const account = await c.env.KV.get<Account>(`token:${token}`, "json");
  if (!account) return refuse("105", "token无效");

  let fields: Logon;
  try {
    const key = await crypto.subtle.importKey("raw", utf8.encode(account.logonKey), "AES-CBC", false, ["decrypt"]);
    const cipher = Uint8Array.from(atob(logon), (ch) => ch.charCodeAt(0));
    const plain = await crypto.subtle.decrypt({ name: "AES-CBC", iv: utf8.encode(iv) }, key, cipher);
    fields = JSON.parse(new TextDecoder().decode(plain)) as Logon;
  } catch {
    return refuse("307", "logon解密失败");
  }
  const { idCard, userName, loginphone } = fields;
  if (typeof idCard !== "string" || !/^\d{17}[\dX]$/.test(idCard)) return refuse("306", "idCard无效");
  if (typeof userName !== "string" || userName.length === 0) return refuse("306", "userName无效");
  if (typeof loginphone !== "string" || !/^1\d{10}$/.test(loginphone)) return refuse("306", "loginphone无效");

  const digest = await crypto.subtle.digest(
    "SHA-256",
    utf8.encode(`${account.accountId}|${idCard}|${userName}|${loginphone}`),
  );
  const duplicateKey = `dup:${account.accountId}:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  if (await c.env.KV.get(duplicateKey)) return refuse("309", "重复请求");

  const upstream = await fetch(`${c.env.JUHE_URL}/telecomCmcc/query`, {
    method: "POST",
    body: new URLSearchParams({
      key: c.env.JUHE_KEY,
      realname: userName,
      idcard: idCard,
      mobile: loginphone,
      detail: "1",
    }),
    signal: AbortSignal.timeout(5000),
  }).catch(() => null);
  if (!upstream?.ok) return refuse("503", "上游不可用");
  const answer = await upstream.json<JuheAnswer>();
  if (answer.error_code !== 0 || !answer.result) return refuse("502", "上游查询失败");

  c.executionCtx.waitUntil(c.env.KV.put(duplicateKey, "1", { expirationTtl: 60 }));
  const returnCode = answer.result.res === 1 ? "10000" : answer.result.res === 2 ? "10001" : "10002";
  return c.json({
    errorCode: "200",
    errorReason: null,
    returnCode,
    info: { orderNo: crypto.randomUUID(), matchCode: answer.result.rescode ?? null },
  });
});

export default app;
