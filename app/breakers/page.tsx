import { BreakerBoard } from '@/components/breakers/BreakerBoard';

export default function Page() {
  return <BreakerBoard />;
}
