'use client';

import Link from 'next/link';
import { summarizeFindings } from './findingsFor';
import type { Finding } from '@/lib/contract/findings';
import './findingBadge.css';

/** A link to the Findings page saying how many findings concern this place and of which kinds; nothing when none. */
export function FindingBadge({ findings, carried }: { findings: readonly Finding[]; carried: string }) {
  const summary = summarizeFindings(findings);
  if (!summary) return null;
  return (
    <Link href={`/findings${carried}`} className={`finding-badge severity-${summary.severity}`} data-testid="finding-badge" data-severity={summary.severity}>
      ⚠ {summary.text}
    </Link>
  );
}
