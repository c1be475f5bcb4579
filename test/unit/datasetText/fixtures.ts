// Split-file lines shaped as the build writes them.

export function sampleRecord(i: number, regions = 2): Record<string, unknown> {
  const stem = String(i).padStart(3, '0');
  return {
    image: `images/test/tire/combined/${stem}.9c41d2aa.png`,
    object: 'tire',
    defect: 'combined',
    width: 600,
    height: 800,
    regions: Array.from({ length: regions }, (_, k) => ({
      mask: `masks/test/tire/combined/${stem}_${k}.5be07f13.png`,
      bbox: [10 + k, 20, 30, 40],
      area: 754 + k,
      defect: k % 2 ? 'crack' : 'cut',
      description: k % 2 ? 'a thin crack in the tire' : 'a cut in the tire',
      classId: 254 - k,
    })),
  };
}

export function sampleLines(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(JSON.stringify(sampleRecord(i, 1 + (i % 3))));
  return out.join('\n') + '\n';
}

export const SAMPLE_DESCRIPTIONS = [
  { object: 'tire', defect: 'cut', text: 'a cut in the tire' },
  { object: 'tire', defect: 'crack', text: 'a thin crack in the tire' },
];
