import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // JUHE_KEY stays empty: the built-in sandbox answers unless a test configures juhe itself.
      // Every setting is fixed here so a developer's .dev.vars cannot leak into the tests. JUHE_KEY
      // stays empty (the built-in sandbox answers); a short timeout keeps the sandbox's
      // "never answers" phone quick to test.
      miniflare: {
        bindings: {
          SERVICE_SECRET: "test-service-secret-0123456789abcdef",
          JUHE_BASE_URL: "https://v.juhe.cn",
          JUHE_KEY: "",
          JUHE_OPENID: "",
          JUHE_MODE: "encrypted",
          UPSTREAM_TIMEOUT_MS: "300",
        },
      },
    }),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    // The Worker's structured log lines (tests that care spy on console) would drown the report.
    onConsoleLog: (log) => !log.startsWith('{"event":'),
  },
});
