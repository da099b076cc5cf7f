import { FindingsPage } from '@/components/findings/FindingsPage';

export default function Page() {
  return <FindingsPage />;
}
