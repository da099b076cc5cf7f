/** A stable colour per service name, so a service looks the same in every view. */

const palette = ['#60a5fa', '#34d399', '#f472b6', '#fbbf24', '#a78bfa', '#22d3ee', '#fb923c', '#a3e635', '#e879f9', '#38bdf8', '#facc15', '#4ade80'];

export function serviceColor(service: string): string {
  let hash = 0;
  for (let i = 0; i < service.length; i++) hash = (hash * 31 + service.charCodeAt(i)) | 0;
  return palette[Math.abs(hash) % palette.length] as string;
}
