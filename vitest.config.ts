import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The Worker's structured log lines (tests that care spy on console) would drown the report.
    onConsoleLog: (log) => !log.startsWith('{"'),
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
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
                ADMIN_TOKEN: "test-admin-token-0123456789abcdef-0123",
              },
            },
          }),
        ],
        test: {
          name: "workers",
          globalSetup: ["./test/global-setup.ts"],
          // The recipe tests run the Java/Python/openssl toolchains and the docs test a browser:
          // they need Node, see below.
          exclude: [...configDefaults.exclude, "test/recipes/**", "test/docs/**"],
        },
      },
      {
        test: {
          name: "node",
          include: ["test/recipes/**/*.test.ts", "test/docs/**/*.test.ts"],
          environment: "node",
        },
      },
    ],
  },
});
