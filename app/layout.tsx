import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Suspense, type ReactNode } from 'react';
import { Providers } from '@/components/Providers';
import { IngestBanner } from '@/components/shell/IngestBanner';
import { NavBar } from '@/components/shell/NavBar';
import { signOutOfferedHeader } from '@/lib/host';
import './globals.css';

export const metadata: Metadata = {
  title: 'Faultline',
  description: 'Traces, latency percentiles and circuit breakers of your services',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request's headers renders every page per request, which the CSP nonce needs too
  // (server/securityHeaders.ts): a page prerendered at build time would carry none and be blocked.
  const signOut = (await headers()).get(signOutOfferedHeader) === '1';
  return (
    <html lang="en">
      <body>
        <Providers>
          <Suspense>
            <NavBar signOut={signOut} />
          </Suspense>
          <IngestBanner />
          <main>
            <Suspense>{children}</Suspense>
          </main>
        </Providers>
      </body>
    </html>
  );
}
