import { SloListPage } from '@/components/slo/SloListPage';

export default function Page() {
  return <SloListPage />;
}
