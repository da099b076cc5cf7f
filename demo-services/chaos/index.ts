/**
 * `npm run chaos -- <flag> <value> [--for 60s]` sets a fault flag on every demo
 * service (value: on, off, 0..1 or a percentage); `npm run chaos -- list` shows
 * the flags with their descriptions. With `--for`, each service switches the
 * flag off again by itself when the time is up.
 */
import { parseArgs } from 'node:util';
import { FAULT_FLAGS } from '../shared/faultFlags';
import { loadDemoConfig } from '../shared/config';
import { parseDuration } from '../loadgen/duration';
import { ChaosUsageError, listFlags, parseFlagValue, setFlagEverywhere } from './chaos';

const USAGE = 'usage: npm run chaos -- <flag> <on|off|0..1|NN%> [--for 60s]   |   npm run chaos -- list';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { for: { type: 'string' } } });
  const config = loadDemoConfig();
  if (positionals[0] === 'list' || positionals.length === 0) {
    const flags = await listFlags(config).catch(() => Object.entries(FAULT_FLAGS).map(([name, f]) => ({ name, description: f.description, value: 0 })));
    for (const flag of flags) console.log(`${flag.name.padEnd(28)} ${String(flag.value).padEnd(5)} ${flag.description}`);
    if (positionals.length === 0) console.log(`\n${USAGE}`);
    return 0;
  }
  const [flag, rawValue] = positionals;
  if (!flag || rawValue === undefined) throw new ChaosUsageError(USAGE);
  const value = parseFlagValue(rawValue);
  const forMs = values.for === undefined ? undefined : parseDuration(values.for);
  if (values.for !== undefined && forMs === undefined) throw new ChaosUsageError(`--for must look like 30s, 5m or 1h (got "${values.for}").`);

  const results = await setFlagEverywhere(config, flag, value, forMs === undefined ? undefined : forMs / 1000);
  const refused = results.find((result) => !result.ok && !result.message.startsWith('unreachable'));
  if (refused && results.every((result) => result.message === refused.message)) {
    // Every service said the same (an unknown flag, a bad value): say it once.
    console.error(refused.message);
    return 1;
  }
  for (const result of results) console.log(`${result.ok ? 'ok ' : 'ERR'} ${result.service.padEnd(13)} ${result.message}`);
  if (refused) return 1;
  if (results.every((result) => !result.ok)) {
    console.error('No demo service answered: is `npm run demo` (or `npm start`) running?');
    return 1;
  }
  console.log(`${flag} = ${value}${values.for ? ` for ${values.for}` : ''}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof ChaosUsageError ? 2 : 1);
  },
);
