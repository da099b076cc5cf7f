import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { openStore } from './store';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-writer-'));
const spoolRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the embedded store’s writer', () => {
  it('spools in a directory of its own, removed on close, and removes one left by a process that died', async () => {
    // Above the kernel's highest pid: no process has it (a pid of a process that exited may be reused).
    const deadPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
    const abandoned = join(spoolRoot, `faultline-spool-${deadPid}`);
    mkdirSync(abandoned, { recursive: true });
    writeFileSync(join(abandoned, 'otel_traces-0.bin'), 'left over');

    const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
    const own = join(spoolRoot, `faultline-spool-${process.pid}`);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(own)).toBe(true);
    await store.writer.insertRowBinary('otel_logs', ['Body'], [Buffer.from([5, ...Buffer.from('hello')])]);
    const [row] = await (await store.client.query({ query: 'SELECT Body FROM faultline.otel_logs', format: 'JSONEachRow' })).json<{ Body: string }>();
    expect(row?.Body).toBe('hello');

    await store.close();
    expect(existsSync(own)).toBe(false);
  });

  it('inserts on a session of its own: a query on the store’s client doesn’t wait for an insert running', async () => {
    const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
    try {
      // Each inserted block sleeps a second filling its default column.
      await store.client.command({ query: 'CREATE TABLE faultline.slow_inserts (id UInt8, pause UInt8 DEFAULT sleep(1)) ENGINE = Memory' });
      const finished: string[] = [];
      const insert = store.writer.insertRowBinary('slow_inserts', ['id'], [Buffer.from([1])]).then(() => finished.push('insert'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const query = store.client.query({ query: 'SELECT count() AS n FROM faultline.slow_inserts', format: 'JSONEachRow' });
      const [before] = await (await query).json<{ n: number }>();
      finished.push('query');
      await insert;
      expect(finished).toEqual(['query', 'insert']);
      expect(Number(before?.n)).toBe(0);
      const [after] = await (await store.client.query({ query: 'SELECT count() AS n FROM faultline.slow_inserts', format: 'JSONEachRow' })).json<{ n: number }>();
      expect(Number(after?.n)).toBe(1);
    } finally {
      await store.close();
    }
  });
});
