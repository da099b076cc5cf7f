import type { Metadata } from 'next';
import { Suspense, type ReactNode } from 'react';
import { Providers } from '@/components/Providers';
import { NavBar } from '@/components/shell/NavBar';
import './globals.css';

export const metadata: Metadata = {
  title: 'Faultline',
  description: 'Traces, latency percentiles and circuit breakers of your services',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <Suspense>
            <NavBar />
          </Suspense>
          <main>
            <Suspense>{children}</Suspense>
          </main>
        </Providers>
      </body>
    </html>
  );
}
