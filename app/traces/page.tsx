import { TraceSearchPage } from '@/components/traces/TraceSearchPage';

export default function Page() {
  return <TraceSearchPage />;
}
