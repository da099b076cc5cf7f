import { SloDetailPage } from '@/components/slo/SloDetailPage';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SloDetailPage id={decodeURIComponent(id)} />;
}
