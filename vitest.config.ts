import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/web when missing or stale, for the browser tests.
    globalSetup: ['tests/dashboard/web/build-web.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
