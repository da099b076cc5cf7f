import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An import of one of `folders` (top-level, or `lib/…`), written with the `@/` alias or relative. */
const importOf = (folders) => `^(@/|(\\.\\./)+)(${folders.join('|')})(/|$)`;
const forbid = (folders, message) => ({ regex: importOf(folders), message });
/** The same for folders beside the file's own inside lib/ (`../slo/…` from lib/queries). */
const forbidInLib = (folders, message) => ({ regex: `^(@/lib/|(\\.\\./)+)(${folders.join('|')})(/|$)`, message });

const libCore = forbid(
  ['collector', 'server', 'app', 'components', 'demo-services'],
  'lib/ is the shared core: it may not import collector/, server/, app/, components/ or demo-services/.',
);

/**
 * The layer rules of docs/architecture.md: which folder may not import which. ESLint keeps only the
 * last `no-restricted-imports` setting that applies to a file, so a folder inside lib/ repeats lib/'s rule.
 */
const layers = [
  {
    files: ['components/**'],
    patterns: [
      forbid(
        ['lib/queries', 'lib/slo', 'lib/clickhouse'],
        'components/ reads data through the API: import response types and constants from lib/contract, not lib/queries, lib/slo or lib/clickhouse.',
      ),
    ],
  },
  { files: ['lib/**'], patterns: [libCore] },
  {
    files: ['lib/queries/**'],
    patterns: [libCore, forbidInLib(['slo'], 'lib/queries may not import lib/slo: lib/slo builds on lib/queries, not the other way round.')],
  },
  {
    files: ['lib/contract/**'],
    patterns: [libCore, forbidInLib(['queries', 'slo', 'clickhouse', 'otlp'], 'lib/contract holds the API response types and constants only: no SQL, no query code.')],
    paths: [{ name: 'zod', message: 'lib/contract holds plain types: no zod.' }],
  },
  {
    files: ['lib/jaeger/**'],
    patterns: [
      libCore,
      forbidInLib(
        ['slo', 'clickhouse/sql', 'clickhouse/selectRows'],
        'lib/jaeger translates what lib/queries answers: no SQL of its own (lib/clickhouse/sql, selectRows) and no lib/slo.',
      ),
    ],
  },
  {
    files: ['demo-services/**'],
    patterns: [
      forbid(['lib', 'collector', 'server', 'app', 'components'], 'The demo shop is an ordinary OpenTelemetry-instrumented application: it may not import Faultline code.'),
    ],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.next/**', 'data/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Named exports only: no export *.' }],
    },
  },
  ...layers.map(({ files, patterns, paths = [] }) => ({ files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } })),
);
