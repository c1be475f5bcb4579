// anomalyLens/train: the parameter check (from the trainer's option table) and the job around trainModel.
import { TRAIN_OPTIONS } from '../../jobs/options';
import { trainModel } from '../../jobs/train';
import type { JobContext } from '../jobRegistry';
import { Params, nonNegativeInteger, positiveInteger } from '../params';
import { TrainRequest, type TrainOptions, type TrainParams, type TrainResult } from '../protocol';
import { jobProgress, type JobNotifications } from './jobProgress';

function checkOptions(p: Params | undefined): TrainOptions {
  if (!p) return {};
  const options: Record<string, unknown> = {};
  for (const spec of TRAIN_OPTIONS) {
    const value =
      spec.kind === 'choice' ? p.optionalOneOf(spec.key, spec.choices as readonly string[])
      : spec.kind === 'boolean' ? p.optionalBoolean(spec.key)
      : spec.kind === 'number' ? p.optionalNumber(spec.key)
      : spec.kind === 'positiveInteger' ? p.optionalNumber(spec.key, positiveInteger, 'an integer of at least 1')
      : p.optionalNumber(spec.key, nonNegativeInteger, 'an integer >= 0');
    if (value !== undefined) options[spec.key] = value;
  }
  return options as TrainOptions;
}

export function checkTrainParams(raw: unknown): TrainParams {
  const p = Params.of(TrainRequest.method, raw);
  return {
    dataset: p.string('dataset'),
    out: p.string('out'),
    init: p.optionalString('init'),
    vocab: p.optionalString('vocab'),
    learnedMerges: p.optionalNumber('learnedMerges', nonNegativeInteger, 'an integer >= 0'),
    python: p.optionalString('python'),
    gpus: p.optionalNumber('gpus', positiveInteger, 'an integer of at least 1'),
    validate: p.optionalBoolean('validate'),
    options: checkOptions(p.optionalObject('options')),
    ...p.jobParams(),
  };
}

/** A stop the user asked for (not --stop-at) is a cancelled job. */
export function trainCancelled(result: TrainResult): boolean {
  return result.kind === 'stopped' && result.event.signal !== 'stop-at';
}

/** Runs the trainer; cancelling asks it to stop at a checkpoint and resolves 'stopped'. */
export async function train(params: TrainParams, job: JobContext, notify: JobNotifications): Promise<TrainResult> {
  const token = params.progressToken;
  return trainModel(
    { dataset: params.dataset, out: params.out, outLabel: 'out', init: params.init, vocab: params.vocab, learnedMerges: params.learnedMerges, python: params.python, gpus: params.gpus, validate: params.validate, options: params.options as Record<string, unknown> },
    {
      signal: job.signal,
      progress: jobProgress(job, token, notify),
      lockOwner: 'anomaly-lens server: train',
      onPrepared: (run) => {
        for (const text of run.truncated) {
          const event = { type: 'warning' as const, message: `description cut to the context length: ${JSON.stringify(text)}` };
          if (token) notify.event({ token, event });
        }
      },
      onEvent: (event) => {
        job.trainEvent(event);
        if (token) notify.event({ token, event });
      },
      onLog: notify.log,
    },
  );
}
