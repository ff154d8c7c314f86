import { defineConfig } from "vitest/config";

// Integration tests share one real Redis and spawn worker processes: keep files serial on 2 cores.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
    // Worker and Action logs are printed only for failing tests, where they help.
    silent: "passed-only",
  },
});
