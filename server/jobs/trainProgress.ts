// @pure: the trainer's progress protocol (server/trainer/anomaly_lens/progress.py, version 1): one
// JSON object per stdout line, told apart by `type`. Snake_case field names are the wire format.

export const TRAIN_PROTOCOL_VERSION = 1;

export type {
  CheckpointEvent,
  DoneEvent,
  ErrorEvent,
  EvalEvent,
  PrepareEvent,
  StartEvent,
  StepEvent,
  StoppedEvent,
  TrainEvent,
  TrainEventType,
  WarningEvent,
} from './trainProgressTypes';
import type { ErrorEvent, TrainEvent, TrainEventType } from './trainProgressTypes';

type FieldKind = 'number' | 'string' | 'boolean' | 'object' | 'number?' | 'string?';

/** Required fields of each event type and their JSON kinds ('?' = may be null). */
const SCHEMA: Record<TrainEventType, Record<string, FieldKind>> = {
  prepare: { split: 'string', done: 'number', total: 'number' },
  start: {
    version: 'number', run: 'string', device: 'string', world_size: 'number', amp: 'string', config: 'object',
    samples: 'object', descriptions: 'number', steps: 'object', epochs: 'number', resumed_from: 'number?',
    trainable_parameters: 'number', cached: 'boolean',
  },
  step: { step: 'number', epoch: 'number', loss: 'number', lr: 'number', samples_per_s: 'number?', eta_s: 'number?' },
  eval: { epoch: 'number', step: 'number', val_accuracy: 'number?', val_loss: 'number?', samples: 'number', best: 'boolean' },
  checkpoint: { path: 'string', step: 'number', epoch: 'number', best: 'boolean' },
  warning: { message: 'string' },
  stopped: { step: 'number', epoch: 'number', checkpoint: 'string?', signal: 'string' },
  done: { paths: 'object' },
  error: { message: 'string', kind: 'string' },
};

function fits(value: unknown, kind: FieldKind): boolean {
  const nullable = kind.endsWith('?');
  if (value === null) return nullable;
  const base = nullable ? kind.slice(0, -1) : kind;
  if (base === 'object') return typeof value === 'object' && !Array.isArray(value);
  return typeof value === base;
}

function protocolError(line: string, why: string): ErrorEvent {
  const shown = line.length > 300 ? `${line.slice(0, 300)}…` : line;
  return { type: 'error', kind: 'protocol', message: `trainer output is not a progress line (${why}): ${shown}` };
}

/** One stdout line as an event; a line that is not valid protocol becomes an error event holding its text. */
export function parseTrainEvent(line: string): TrainEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return protocolError(line, 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return protocolError(line, 'not an object');
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(SCHEMA, type)) {
    return protocolError(line, `unknown type ${JSON.stringify(type)}`);
  }
  for (const [field, kind] of Object.entries(SCHEMA[type as TrainEventType])) {
    if (!(field in record)) return protocolError(line, `${type} lacks ${field}`);
    if (!fits(record[field], kind)) return protocolError(line, `${type}.${field} is not ${kind.replace('?', ' or null')}`);
  }
  return record as unknown as TrainEvent;
}
