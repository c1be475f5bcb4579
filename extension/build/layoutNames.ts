// The source layouts' names as the build reports them.
export const LAYOUT_NAMES = {
  visa: 'VisA',
  mvtec: 'MVTec AD',
  anomalydiffusion: 'AnomalyDiffusion',
  generic: 'generic folder',
} as const;
