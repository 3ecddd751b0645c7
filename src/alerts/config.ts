// Alert settings (docs/operations.md): off without ALERT_WEBHOOK_URL; a URL that is not https://
// (http only to this machine), or one without a secret of 32+ characters, turns alerts off with
// one logged error naming the setting, and POST /admin/alerts/test answers that error.
import * as z from "zod/mini";
import { logEvent } from "../platform/log.ts";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const WebhookUrl = z.string().check(
  z.refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname));
    } catch {
      return false;
    }
  }, "ALERT_WEBHOOK_URL must be an https:// URL (http:// only to localhost, 127.0.0.1 or [::1])"),
);

const whole = (name: string, min: number, max: number, fallback: number) =>
  z._default(
    z.coerce.number().check(z.int(`${name} must be a whole number`), z.minimum(min), z.maximum(max)),
    fallback,
  );

const Settings = z.object({
  ALERT_WEBHOOK_URL: WebhookUrl,
  ALERT_WEBHOOK_SECRET: z.string().check(z.minLength(32, "ALERT_WEBHOOK_SECRET must be at least 32 characters")),
  /** account.expiring: a contract that ends within this many days. */
  ALERT_EXPIRING_DAYS: whole("ALERT_EXPIRING_DAYS", 1, 365, 14),
  /** account.abuse: refusals (502, 309 budget, 307) of one account within the window. */
  ALERT_ABUSE_REFUSALS: whole("ALERT_ABUSE_REFUSALS", 1, 1_000_000, 50),
  /** upstream.error_rate: the fault share, in percent, over at least ALERT_ERROR_MIN_ATTEMPTS attempts in the window. */
  ALERT_ERROR_PERCENT: whole("ALERT_ERROR_PERCENT", 1, 100, 20),
  ALERT_ERROR_MIN_ATTEMPTS: whole("ALERT_ERROR_MIN_ATTEMPTS", 1, 1_000_000, 20),
  /** The first retry's delay; each later one doubles, up to Queues' 12 h. */
  ALERT_RETRY_SECONDS: whole("ALERT_RETRY_SECONDS", 0, 43_200, 30),
});
export type AlertSettings = z.infer<typeof Settings>;

export type AlertConfig =
  | { readonly kind: "on"; readonly settings: AlertSettings }
  | { readonly kind: "off" }
  | { readonly kind: "invalid"; readonly problem: string };

/** The settings as the environment gives them (strings; absent ones take their defaults). */
export function parseAlertConfig(env: object): AlertConfig {
  const vars = env as Record<string, unknown>;
  const url = typeof vars.ALERT_WEBHOOK_URL === "string" ? vars.ALERT_WEBHOOK_URL.trim() : "";
  if (url === "") return { kind: "off" };
  const given = Object.fromEntries(
    Object.keys(Settings.shape).flatMap((name) => {
      const value = vars[name];
      return typeof value === "string" && value.trim() !== "" ? [[name, value.trim()]] : [];
    }),
  );
  const parsed = Settings.safeParse({ ALERT_WEBHOOK_SECRET: "", ...given });
  if (parsed.success) return { kind: "on", settings: parsed.data };
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? "ALERT_WEBHOOK_URL");
  const message = issue?.message ?? "invalid";
  return { kind: "invalid", problem: message.startsWith(name) ? message : `${name}: ${message}` };
}

const seen = new WeakMap<object, AlertConfig>();

/** Parsed once per env object (per isolate); a broken setting is logged once. */
export function alertConfig(env: object): AlertConfig {
  let config = seen.get(env);
  if (!config) {
    config = parseAlertConfig(env);
    if (config.kind === "invalid") logEvent("error", "alert_config_invalid", { problem: config.problem });
    seen.set(env, config);
  }
  return config;
}
