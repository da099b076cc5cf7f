'use client';

import { useEffect, useRef } from 'react';
import { LogLine } from './LogLine';
import type { LogLine as LogLineRow } from '@/lib/contract/logs';

type Props = { lines: LogLineRow[]; hasMore: boolean; loadingMore: boolean; onLoadMore?(): void };

/** Lines newest first; scrolling to the end asks for the next page. */
export function LogList({ lines, hasMore, loadingMore, onLoadMore }: Props) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore || !onLoadMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onLoadMore();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, onLoadMore]);

  return (
    <div className="panel">
      <ol className="log-lines" data-testid="log-lines">
        {lines.map((line, i) => (
          <LogLine key={`${line.timeNs}-${i}`} line={line} />
        ))}
      </ol>
      <div ref={sentinel} className="muted log-list-end">
        {loadingMore ? 'Loading more…' : hasMore ? '' : `${lines.length} lines, no more in this range`}
      </div>
    </div>
  );
}
