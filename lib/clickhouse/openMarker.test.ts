import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markOpen } from './openMarker';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-marker-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('markOpen', () => {
  it('finds a clean directory after a first open and after a close', () => {
    const dir = freshDir();
    const first = markOpen(dir);
    expect(first.uncleanStop).toBe(false);
    first.clear();
    expect(markOpen(dir).uncleanStop).toBe(false);
  });

  it('finds an unclean stop when the last open was never closed, until a close after it', () => {
    const dir = freshDir();
    markOpen(dir);
    const reopened = markOpen(dir);
    expect(reopened.uncleanStop).toBe(true);
    expect(markOpen(dir).uncleanStop).toBe(true);
    markOpen(dir).clear();
    expect(markOpen(dir).uncleanStop).toBe(false);
  });
});
