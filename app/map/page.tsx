import { ServiceMapPage } from '@/components/map/ServiceMapPage';

export default function Page() {
  return <ServiceMapPage />;
}
