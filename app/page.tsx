import { ServicesOverview } from '@/components/services/ServicesOverview';

export default function ServicesPage() {
  return <ServicesOverview />;
}
