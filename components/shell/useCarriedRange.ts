'use client';

import { useSearchParams } from 'next/navigation';

/** The range and refresh parameters of the current URL, to append to links into other views. */
export function useCarriedRange(): string {
  const params = useSearchParams();
  const carried = new URLSearchParams();
  for (const key of ['range', 'from', 'to', 'refresh']) {
    const value = params.get(key);
    if (value) carried.set(key, value);
  }
  const text = carried.toString();
  return text ? `?${text}` : '';
}
