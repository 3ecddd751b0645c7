import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";
import { VENDOR_SETTINGS } from "./src/config/config.ts";

/** Every vendor's setting at its default (secrets empty), from the descriptors (src/upstream/vendors.ts). */
const VENDOR_DEFAULTS = Object.fromEntries([...VENDOR_SETTINGS].map(([name, setting]) => [name, setting.fallback]));

// Every setting is fixed here so a developer's .dev.vars cannot leak into the tests. The sandbox is
// chosen explicitly; a short timeout keeps its "never answers" phone quick to test.
const BINDINGS = {
  ...VENDOR_DEFAULTS,
  SERVICE_SECRET: "test-service-secret-0123456789abcdef",
  UPSTREAMS: "sandbox",
  UPSTREAM_TIMEOUT_MS: "300",
  ADMIN_TOKEN: "test-admin-token-0123456789abcdef-0123",
};

/** test/alerts/ runs with alerts on (the webhook faked at the HTTP boundary), retries quick and few. */
const ALERT_BINDINGS = {
  ...BINDINGS,
  ALERT_WEBHOOK_URL: "https://alerts.example.test/hook",
  ALERT_WEBHOOK_SECRET: "test-alert-secret-0123456789abcdef-0123",
  ALERT_RETRY_SECONDS: "0",
  ALERT_ABUSE_REFUSALS: "3",
  ALERT_ERROR_MIN_ATTEMPTS: "4",
  ALERT_ERROR_PERCENT: "50",
};

export default defineConfig({
  test: {
    // The Worker's structured log lines (tests that care spy on console) would drown the report.
    onConsoleLog: (log) => !log.startsWith('{"'),
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: BINDINGS },
          }),
        ],
        test: {
          name: "workers",
          globalSetup: ["./test/global-setup.ts"],
          // `*.node.test.ts` run toolchains (Java, Python, openssl), a browser or Node-only SDKs: see below.
          exclude: [...configDefaults.exclude, "test/**/*.node.test.ts", "test/alerts/**"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: ALERT_BINDINGS,
              queueConsumers: {
                "verify-mobile-alerts": {
                  maxBatchTimeout: 0.1,
                  maxRetries: 2,
                  deadLetterQueue: "verify-mobile-alerts-dead",
                },
                "verify-mobile-alerts-dead": { maxBatchTimeout: 0.1 },
              },
            },
          }),
        ],
        test: {
          name: "workers-alerts",
          include: ["test/alerts/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/**/*.node.test.ts"],
        },
      },
      {
        test: {
          name: "node",
          include: ["test/**/*.node.test.ts"],
          environment: "node",
        },
      },
    ],
  },
});
