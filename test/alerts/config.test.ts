// Alert settings (docs/operations.md): off without a URL, a clear error for a bad one, defaults otherwise.
import { describe, expect, it } from "vitest";
import { parseAlertConfig } from "../../src/alerts/config.ts";

const SECRET = "s".repeat(32);

describe("alert settings", () => {
  it("are off without ALERT_WEBHOOK_URL", () => {
    expect([parseAlertConfig({}), parseAlertConfig({ ALERT_WEBHOOK_URL: " " })]).toEqual([
      { kind: "off" },
      { kind: "off" },
    ]);
  });

  it("take an https URL and a 32-character secret, with the documented defaults", () => {
    expect(
      parseAlertConfig({ ALERT_WEBHOOK_URL: "https://ops.example.com/hook", ALERT_WEBHOOK_SECRET: SECRET }),
    ).toEqual({
      kind: "on",
      settings: {
        ALERT_WEBHOOK_URL: "https://ops.example.com/hook",
        ALERT_WEBHOOK_SECRET: SECRET,
        ALERT_EXPIRING_DAYS: 14,
        ALERT_ABUSE_REFUSALS: 50,
        ALERT_ERROR_PERCENT: 20,
        ALERT_ERROR_MIN_ATTEMPTS: 20,
        ALERT_RETRY_SECONDS: 30,
      },
    });
  });

  it.each(["http://localhost:9000/hook", "http://127.0.0.1/hook", "http://[::1]:8080/"])(
    "take plain http to this machine: %s",
    (url) => {
      expect(parseAlertConfig({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: SECRET }).kind).toBe("on");
    },
  );

  it.each([
    ["http://ops.example.com/hook", SECRET],
    ["ftp://ops.example.com/hook", SECRET],
    ["not a url", SECRET],
  ])("refuse %s, naming the rule", (url, secret) => {
    expect(parseAlertConfig({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: secret })).toEqual({
      kind: "invalid",
      problem: "ALERT_WEBHOOK_URL must be an https:// URL (http:// only to localhost, 127.0.0.1 or [::1])",
    });
  });

  it("refuse a missing or short secret", () => {
    const url = "https://ops.example.com/hook";
    expect([
      parseAlertConfig({ ALERT_WEBHOOK_URL: url }),
      parseAlertConfig({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: "short" }),
    ]).toEqual([
      { kind: "invalid", problem: "ALERT_WEBHOOK_SECRET must be at least 32 characters" },
      { kind: "invalid", problem: "ALERT_WEBHOOK_SECRET must be at least 32 characters" },
    ]);
  });

  it("refuse a threshold out of range, naming it", () => {
    const given = { ALERT_WEBHOOK_URL: "https://ops.example.com/hook", ALERT_WEBHOOK_SECRET: SECRET };
    expect([
      parseAlertConfig({ ...given, ALERT_ERROR_PERCENT: "150" }).kind,
      parseAlertConfig({ ...given, ALERT_EXPIRING_DAYS: "0" }).kind,
      parseAlertConfig({ ...given, ALERT_ABUSE_REFUSALS: "2.5" }),
    ]).toEqual(["invalid", "invalid", { kind: "invalid", problem: "ALERT_ABUSE_REFUSALS must be a whole number" }]);
  });
});
