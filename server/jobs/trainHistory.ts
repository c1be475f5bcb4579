// @pure: a run's history file (RUN/history.jsonl, written by server/trainer/anomaly_lens/history.py):
// one progress event per line — the start of each trainer process, every step, validation and
// checkpoint, and how the run ended — each with the Unix time it was written. A last line without
// its newline is a write the trainer did not finish and is skipped, as is any line that is not an
// event of the protocol.
import { parseTrainEvent } from './trainProgress';
import type { TrainEvent } from './trainProgressTypes';

export const HISTORY_FILE = 'history.jsonl';

/** An event as the history keeps it: with the time it was written (Unix seconds). */
export type HistoryEvent = TrainEvent & { time?: number };

/** The events of a history file's text, oldest first. */
export function parseHistory(text: string): HistoryEvent[] {
  const lines = text.split('\n');
  lines.pop(); // after the last newline: nothing, or a torn line
  const events: HistoryEvent[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const event = parseTrainEvent(line);
    if (event.type === 'error' && event.kind === 'protocol') continue;
    events.push(event);
  }
  return events;
}
