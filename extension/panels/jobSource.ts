// What the training dashboard needs of the job list: the extension's job tracker implements it
// over the child server. Types only.
import type * as vscode from 'vscode';
import type { JobInfo, TrainEvent } from '../../server/rpc/protocol';

export interface JobSource {
  list(): Promise<JobInfo[]>;
  onDidChangeJob: vscode.Event<JobInfo>;
  onTrainEvent: vscode.Event<{ jobId: string; event: TrainEvent }>;
  cancel(id: string): Promise<void>;
  /** Continues the run in this folder from its last checkpoint (a new train job); resolves once that job has started. */
  resume(runFolder: string): Promise<void>;
  /** The train events on disk of a run: its history file (RUN/history.jsonl), else the validations its bundle recorded. */
  history(runFolder: string): Promise<TrainEvent[]>;
}
