/** How a long job reports its progress: a bar on a terminal (the CLI) or notifications (the child server). */
export interface Progress {
  start(total: number, label: string): void;
  tick(n?: number, info?: string): void;
  stop(): void;
}
