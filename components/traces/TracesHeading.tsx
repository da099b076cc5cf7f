import Link from 'next/link';
import type { ReactNode } from 'react';

/** A page under Traces: its heading, "Traces / …", linking back to the search. */
export function TracesHeading({ children }: { children: ReactNode }) {
  return (
    <h1>
      <Link href="/traces" className="muted">
        Traces
      </Link>{' '}
      / {children}
    </h1>
  );
}
