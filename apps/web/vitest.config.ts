import { defineConfig } from "vitest/config";

// The console's browser flows: slow (a build, a province, Chromium), so run on their own with `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ["apps/web/e2e/**/*.test.ts"],
    root: new URL("../..", import.meta.url).pathname,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: false,
  },
});
