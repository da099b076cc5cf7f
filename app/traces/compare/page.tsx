import { CompareTracesPage } from '@/components/traces/compare/CompareTracesPage';

export default function Page() {
  return <CompareTracesPage />;
}
