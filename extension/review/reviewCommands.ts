// Review Labels (a job of the child server) and the actions on one disagreement: accept the label,
// take the model's description, edit the mask.  Non-interactive form: reviewLabels({dataset, bundle, splits}).
import * as vscode from 'vscode';
import { LoadRegionsRequest, RelabelRegionRequest, ReviewQueueRequest, type ReviewQueueParams } from '../../server/rpc/protocol';
import type { ReviewItem } from '../../server/editor/reviewTypes';
import { runJob } from '../jobProgress/ui';
import { currentSettings } from '../client/host';
import { jobSpec } from '../../server/jobs/jobTable';
import { absolute, choicesOf, pickDatasetFolder, shownPath, str, type Workbench } from '../commands/common';
import type { ReviewTreeProvider } from './reviewProvider';
import { stillAsReviewed } from './reviewModel';
import { ServerRequestError } from '../client/errors';
import type { DatasetChanges } from '../datasets/datasetChanges';

export async function reviewLabels(wb: Workbench, review: ReviewTreeProvider, arg?: unknown): Promise<number | undefined> {
  const choices = choicesOf(arg);
  const dataset = await pickDatasetFolder(wb, str(choices.dataset) ?? arg);
  if (!dataset) return undefined;
  const bundle = str(choices.bundle) ?? (currentSettings().defaultBundle || undefined);
  const params: ReviewQueueParams = { dataset, ...(bundle ? { bundle: absolute(bundle) } : {}), ...(Array.isArray(choices.splits) ? { splits: choices.splits as ReviewQueueParams['splits'] } : {}) };
  const outcome = await runJob(wb.jobs, ReviewQueueRequest, params, jobSpec('review', params, shownPath), { retry: () => reviewLabels(wb, review, arg) });
  if (outcome.state !== 'finished') return undefined;
  review.show(outcome.result);
  await vscode.commands.executeCommand('anomalyLens.review.focus');
  const open = review.items().length;
  void vscode.window.showInformationMessage(`Anomaly Lens: the model disagrees with ${open} of ${outcome.result.regions} region labels.`);
  return open;
}

/**
 * Gives the item's region the model's description, at the version of its record the review saw.
 * Refused because the record changed since: when the region is still the one reviewed (another
 * region of the image was edited), it is relabelled at the record's new version; otherwise it
 * leaves the queue and nothing is written.  Open mask editors of the image hear of it at once.
 */
export async function takeModelDescription(wb: Workbench, review: ReviewTreeProvider, changes: DatasetChanges, item: ReviewItem): Promise<void> {
  const text = item.model[0]?.text;
  if (!text) return;
  const client = await wb.host.ready();
  let version = item.version;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await client.request(RelabelRegionRequest, { image: item.image, region: item.region, description: text, version });
      review.relabelled(item, result.version);
      if (review.queue) changes.changed(review.queue.dataset);
      return;
    } catch (err) {
      if (!(err instanceof ServerRequestError && err.kind === 'stale') || attempt > 0) throw err;
      const now = await client.request(LoadRegionsRequest, { image: item.image });
      if (now.source.kind !== 'dataset' || !now.version || !stillAsReviewed(item, now.source.record.regions)) {
        review.drop(item);
        void vscode.window.showInformationMessage(`Anomaly Lens: region ${item.region + 1} of ${item.record} changed since the review, so its label was left as it is now; run Review Labels again to review it anew.`);
        return;
      }
      version = now.version;
    }
  }
}
