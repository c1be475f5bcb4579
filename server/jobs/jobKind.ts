// The kinds of job the engine runs for the command line and the child server (types only: the
// protocol shares them; jobTable.ts holds what each one is).
export type JobKind = 'createSample' | 'buildDataset' | 'validate' | 'exportDataset' | 'train' | 'evaluate' | 'export' | 'importWeights' | 'review';
