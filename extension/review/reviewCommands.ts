// Review Labels (a job of the child server) and the actions on one disagreement: accept the label,
// take the model's description, edit the mask.  Non-interactive form: reviewLabels({dataset, bundle, splits}).
import * as vscode from 'vscode';
import { RelabelRegionRequest, ReviewQueueRequest, type ReviewQueueParams } from '../../server/rpc/protocol';
import type { ReviewItem } from '../../server/editor/reviewTypes';
import { runJob } from '../jobs/ui';
import { currentSettings } from '../server/host';
import { absolute, choicesOf, pickDatasetFolder, str, type Workbench } from '../commands/common';
import type { ReviewTreeProvider } from './reviewProvider';

export async function reviewLabels(wb: Workbench, review: ReviewTreeProvider, arg?: unknown): Promise<number | undefined> {
  const choices = choicesOf(arg);
  const dataset = await pickDatasetFolder(wb, str(choices.dataset) ?? arg);
  if (!dataset) return undefined;
  const bundle = str(choices.bundle) ?? (currentSettings().defaultBundle || undefined);
  const params: ReviewQueueParams = { dataset, ...(bundle ? { bundle: absolute(bundle) } : {}), ...(Array.isArray(choices.splits) ? { splits: choices.splits as ReviewQueueParams['splits'] } : {}) };
  const outcome = await runJob(wb.jobs, ReviewQueueRequest, params, { kind: 'review', title: `Review the labels of ${vscode.workspace.asRelativePath(dataset)}`, output: dataset }, { retry: () => reviewLabels(wb, review, arg) });
  if (outcome.state !== 'finished') return undefined;
  review.show(outcome.result);
  await vscode.commands.executeCommand('anomalyLens.review.focus');
  const open = review.items().length;
  void vscode.window.showInformationMessage(`Anomaly Lens: the model disagrees with ${open} of ${outcome.result.regions} region labels.`);
  return open;
}

export async function takeModelDescription(wb: Workbench, review: ReviewTreeProvider, item: ReviewItem): Promise<void> {
  const text = item.model[0]?.text;
  if (!text) return;
  await (await wb.host.ready()).request(RelabelRegionRequest, { image: item.image, region: item.region, description: text });
  if (review.queue) review.show({ ...review.queue, items: review.queue.items.filter((i) => !(i.record === item.record && i.region === item.region)) });
}
