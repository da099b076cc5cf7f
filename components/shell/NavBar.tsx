'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useCarriedRange } from './useCarriedRange';

const sections = [
  { href: '/', label: 'Services', matches: (path: string) => path === '/' || path.startsWith('/services') },
  { href: '/traces', label: 'Traces', matches: (path: string) => path.startsWith('/traces') },
  { href: '/breakers', label: 'Circuit breakers', matches: (path: string) => path.startsWith('/breakers') },
  { href: '/logs', label: 'Logs', matches: (path: string) => path.startsWith('/logs') },
  { href: '/map', label: 'Service map', matches: (path: string) => path.startsWith('/map') },
  { href: '/slos', label: 'SLOs', matches: (path: string) => path.startsWith('/slos') },
  { href: '/findings', label: 'Findings', matches: (path: string) => path.startsWith('/findings') },
];

/** `signOut`: the dashboard has a password session to end (a plain form, so it works without script). */
export function NavBar({ signOut }: { signOut: boolean }) {
  const pathname = usePathname();
  // Moving between sections keeps the time range and refresh.
  const suffix = useCarriedRange();
  return (
    <nav className="nav">
      <Link href={`/${suffix}`} className="brand">
        Faultline
      </Link>
      {sections.map((section) => (
        <Link
          key={section.href}
          href={`${section.href}${suffix}`}
          className={section.matches(pathname) ? 'nav-link active' : 'nav-link'}
        >
          {section.label}
        </Link>
      ))}
      {signOut && (
        <form method="post" action="/logout" className="sign-out">
          <button type="submit">Sign out</button>
        </form>
      )}
    </nav>
  );
}
