// The model's description of a region, asked of the host (whose child server answers): on D, on
// the Describe button, or after each stroke while "describe while drawing" is on.
import { channel } from './hostChannel';
import { renderList } from './regionPanel';
import { described, targetRegion } from './shownDocument';

let describeTimer: ReturnType<typeof setTimeout> | undefined;

export function scheduleDescribe(id: number): void {
  clearTimeout(describeTimer);
  describeTimer = setTimeout(() => void describe(id), 250);
}

export async function describeSelected(): Promise<void> {
  const id = targetRegion();
  if (id !== undefined) await describe(id);
}

async function describe(id: number): Promise<void> {
  described.set(id, 'describing…');
  renderList();
  try {
    described.set(id, await channel.request('describe', { region: id, topK: 3 }));
  } catch (err) {
    described.set(id, err instanceof Error ? err.message : String(err));
  }
  renderList();
}
