// Token and logon-key rotation with a grace (POST …/rotate-token, …/rotate-key): the first click
// names what will happen, the second does it; the new credential is shown once, to copy.
import { apiJson } from "./api.ts";
import { byId, errorText, inputValue, say } from "./dom.ts";
import { chinaTime } from "./format.ts";

/** The account command's grace syntax: seconds, or a number with s, m, h or d; at most 7 days. */
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };
const MAX_GRACE_SECONDS = 7 * 86_400;

export function graceSeconds(text: string): number | null {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text.trim() || "0");
  if (!match) return null;
  const seconds = Number(match[1]) * (UNITS[match[2] || "s"] ?? 1);
  return seconds <= MAX_GRACE_SECONDS ? seconds : null;
}

type Kind = "token" | "key";
let pending: { kind: Kind; grace: number } | null = null;

const LABEL: Record<Kind, string> = { token: "令牌 token", key: "登录密钥 logonKey" };

export function askRotation(kind: Kind): void {
  const grace = graceSeconds(inputValue("grace"));
  byId("rotated").textContent = "";
  if (grace === null) {
    pending = null;
    byId("rotate-confirm").hidden = true;
    say("rotate-state", "宽限期：秒数或 30m、24h，最多7天 grace: seconds or 30m, 24h, at most 7 days", "bad");
    return;
  }
  pending = { kind, grace };
  const until = grace === 0 ? "立即失效 stops at once" : `保留到 kept until ${chinaTime(Date.now() + grace * 1000)}`;
  say("rotate-state", `确认轮换${LABEL[kind]}？旧的${until}`);
  byId("rotate-confirm").hidden = false;
}

type Rotated = {
  token?: string;
  logonKey?: string;
  previousTokenUntil?: string | null;
  previousLogonKeyUntil?: string | null;
};

export async function confirmRotation(accountPath: string): Promise<void> {
  if (pending === null) return;
  const { kind, grace } = pending;
  pending = null;
  byId("rotate-confirm").hidden = true;
  try {
    const rotated = await apiJson<Rotated>(`${accountPath}/rotate-${kind}`, {
      method: "POST",
      body: { graceSeconds: grace },
    });
    const until = rotated.previousTokenUntil ?? rotated.previousLogonKeyUntil ?? null;
    byId("rotated").textContent = rotated.token ?? rotated.logonKey ?? "";
    say(
      "rotate-state",
      `新${LABEL[kind]}只显示这一次 shown once; ${until ? `旧的有效至 previous valid until ${chinaTime(Date.parse(until))}` : "旧的已失效 previous stopped"}`,
      "ok",
    );
  } catch (error) {
    say("rotate-state", errorText(error), "bad");
  }
}
