import { bundleSql } from '../../scripts/bundleSql';

export function setup(): void {
  bundleSql();
}
