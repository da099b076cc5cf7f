import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', '.next/**', 'tests/e2e/**', 'data/**'],
    // chDB allows one embedded engine per process: every test file gets its own process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
