import { LogsExplorer } from '@/components/logs/LogsExplorer';

export default function Page() {
  return <LogsExplorer />;
}
