import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // JUHE_KEY stays empty: the built-in sandbox answers unless a test configures juhe itself.
      miniflare: { bindings: { SERVICE_SECRET: "test-service-secret-0123456789abcdef" } },
    }),
  ],
  test: { globalSetup: ["./test/global-setup.ts"] },
});
