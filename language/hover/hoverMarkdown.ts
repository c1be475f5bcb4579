// The Markdown of a record's hover: the thumbnail with the record's facts (shown at once), and
// the predictions (shown above them when the model has answered).  Pure text, tested without VS Code.
import type { RecordPredictions, RecordThumbnail } from '../../server/datasetText/types';
import { DEFAULT_UNCERTAIN_BELOW, isUncertain } from '../../server/model/confidence';
import type { RecordFacts } from './recordAt';

/** Where the hover's links lead, worked out by the caller (file URIs, command URIs). */
export interface HoverLinks {
  /** Opens the image in the mask editor (absent when the image is missing). */
  maskEditor?: string;
  /** Opens the image in VS Code's own preview. */
  image?: string;
  /** Per region: opens its mask, or undefined when it is missing. */
  masks: (string | undefined)[];
  /** Describes the record with a model picked from a list. */
  describeWith: string;
}

/** Text shown verbatim in Markdown (descriptions and paths come from the user's files). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** A `command:` URI running `command` with `args`. */
export function commandUri(command: string, ...args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

const percent = (p: number): string => `${(p * 100).toFixed(p >= 0.995 || p < 0.0005 ? 0 : 1)}%`;

function shownRegions(facts: RecordFacts): number[] {
  return facts.region !== undefined ? [facts.region] : facts.regions.map((_, i) => i);
}

/** The thumbnail, the record's facts and its links. */
export function recordMarkdown(facts: RecordFacts, thumbnail: RecordThumbnail | undefined, links: HoverLinks, problem?: string): string {
  const out: string[] = [];
  const n = facts.regions.length;
  const subject = facts.region !== undefined ? `region ${facts.region + 1} of ${n}` : `${n} region${n === 1 ? '' : 's'}`;
  if (thumbnail) out.push(`![${escapeMarkdown(`${facts.image}, ${subject}`)}](${thumbnail.thumbnail})`, '');
  else if (problem) out.push(`*No preview: ${escapeMarkdown(problem)}*`, '');
  const size = facts.width !== undefined && facts.height !== undefined ? ` · ${facts.width}×${facts.height}` : '';
  out.push(`**${escapeMarkdown(facts.object ?? '?')}** · ${escapeMarkdown(facts.defect ?? '?')} · ${subject}${size}`, '');
  if (n > 0) {
    out.push('| # | defect | area | bbox | description |', '|---:|---|---:|---|---|');
    for (const i of shownRegions(facts)) {
      const r = facts.regions[i];
      const bbox = r.bbox ? `[${r.bbox.join(', ')}]` : '?';
      out.push(`| ${i + 1} | ${escapeMarkdown(r.defect ?? '?')} | ${r.area ?? '?'} | ${bbox} | ${escapeMarkdown(r.description ?? '?')} |`);
    }
    out.push('');
  }
  const actions: string[] = [];
  if (links.maskEditor) actions.push(`[Open in Mask Editor](${links.maskEditor})`);
  if (links.image) actions.push(`[Open image](${links.image})`);
  for (const i of shownRegions(facts)) if (links.masks[i]) actions.push(`[Open mask ${i + 1}](${links.masks[i]})`);
  if (actions.length > 0) out.push(actions.join(' · '));
  return out.join('\n');
}

/**
 * Each shown region's predicted description, its top 3 and a mark where it disagrees with the
 * label; a region whose best answer is less probable than `uncertainBelow` (default: the
 * bundle's threshold) is "uncertain", its top 3 shown and none stated.
 */
export function predictionsMarkdown(facts: RecordFacts, predictions: RecordPredictions, bundleName: string, links: HoverLinks, uncertainBelow?: number): string {
  const threshold = uncertainBelow ?? predictions.uncertainBelow ?? DEFAULT_UNCERTAIN_BELOW;
  const out: string[] = [`**Predicted** by ${escapeMarkdown(bundleName)}`, '', '| # | prediction | top 3 | label |', '|---:|---|---|---|'];
  for (const i of shownRegions(facts)) {
    const p = predictions.regions[i];
    if (!p) continue;
    if ('error' in p) {
      out.push(`| ${i + 1} | *${escapeMarkdown(p.error)}* | | |`);
      continue;
    }
    const best = p.ranking[0];
    const top = p.ranking.map((r) => `${escapeMarkdown(r.text)} ${percent(r.probability)}`).join('; ');
    const label = facts.regions[i]?.description;
    if (isUncertain(p.ranking, threshold)) {
      out.push(`| ${i + 1} | *uncertain* (below ${percent(threshold)}) | ${top} | |`);
      continue;
    }
    const mark = !best || label === undefined ? '' : best.text === label ? '✓ agrees' : '⚠ **differs**';
    out.push(`| ${i + 1} | ${best ? escapeMarkdown(best.text) : '?'} | ${top} | ${mark} |`);
  }
  out.push('', `[Describe with another model…](${links.describeWith})`);
  return out.join('\n');
}
