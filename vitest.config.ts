import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const exclude = ['node_modules/**', '.next/**', 'tests/e2e/**', 'data/**'];
const quietDemo = 'tests/findings/healthyDemoQuiet.int.test.ts';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    // chDB allows one embedded engine per process: every test file gets its own process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The DDL files are bundled into a module (scripts/bundleSql.ts) before any test imports it.
    globalSetup: ['./tests/support/bundleSqlSetup.ts'],
    projects: [
      // Fast tests: no store, no server, no child process (`npm run test:unit`).
      { extends: true, test: { name: 'unit', include: ['**/*.test.ts', '**/*.test.tsx'], exclude: [...exclude, '**/*.int.test.ts'] } },
      // The real embedded ClickHouse, servers on 127.0.0.1, the demo's processes (`npm run test:integration`).
      { extends: true, test: { name: 'integration', include: ['**/*.int.test.ts'], exclude: [...exclude, quietDemo] } },
      // The healthy demo under its default load for 10 minutes, run alone (`npm run test:quiet`).
      { extends: true, test: { name: 'quiet', include: [quietDemo], exclude } },
    ],
  },
});
