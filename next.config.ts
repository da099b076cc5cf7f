import type { NextConfig } from 'next';

const config: NextConfig = {
  // Native and Node-only clients must stay out of the bundle: chdb is a native addon that allows one
  // engine per process, so the route code has to share the process-wide instance, not a bundled copy.
  serverExternalPackages: ['chdb', '@clickhouse/client'],
  // `tsc --noEmit -p .` type-checks the whole repository as its own step of the test command; the build
  // needn't repeat it (and would fail on work in progress elsewhere in the tree).
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
