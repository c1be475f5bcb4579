// @pure: the reliability diagram as SVG markup, for report.html and the report webview.
// Per confidence bin: a bar up to the bin's accuracy, the gap to its mean confidence marked
// above or below it, the diagonal a perfectly calibrated model follows, and each bin's regions.
// Shapes carry classes (bar, gap, diagonal, axis, count); the page's stylesheet colours them.
import type { ReliabilityBin } from '../metrics/reliability';

const SIZE = 300;
const MARGIN = { left: 40, right: 10, top: 16, bottom: 34 };

const f = (x: number) => (Math.round(x * 10) / 10).toString();
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** `caption` names the diagram (for assistive technology and the title of the figure). */
export function reliabilitySvg(bins: readonly ReliabilityBin[], caption: string): string {
  const w = SIZE;
  const h = SIZE;
  const x = (v: number) => MARGIN.left + v * w;
  const y = (v: number) => MARGIN.top + (1 - v) * h;
  const parts: string[] = [];
  parts.push(`<line class="axis" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}"/>`, `<line class="axis" x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}"/>`);
  for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    parts.push(`<text class="tick" x="${f(x(t))}" y="${y(0) + 14}" text-anchor="middle">${t.toFixed(1)}</text>`);
    parts.push(`<text class="tick" x="${x(0) - 5}" y="${f(y(t) + 4)}" text-anchor="end">${t.toFixed(1)}</text>`);
  }
  parts.push(`<text class="label" x="${x(0.5)}" y="${y(0) + 30}" text-anchor="middle">confidence</text>`);
  parts.push(`<text class="label" transform="translate(12 ${y(0.5)}) rotate(-90)" text-anchor="middle">accuracy</text>`);
  bins.forEach((b, i) => {
    if (!b.count || b.accuracy === null || b.confidence === null) return;
    const left = f(x(b.lower) + 1);
    const width = f(Math.max(1, (b.upper - b.lower) * w - 2));
    const title = `<title>confidence ${pct(b.lower)}–${pct(b.upper)}: ${b.count} regions, mean confidence ${pct(b.confidence)}, accuracy ${pct(b.accuracy)}</title>`;
    parts.push(`<rect class="bar" data-bin="${i}" data-count="${b.count}" x="${left}" y="${f(y(b.accuracy))}" width="${width}" height="${f(b.accuracy * h)}">${title}</rect>`);
    const [top, bottom] = b.confidence > b.accuracy ? [b.confidence, b.accuracy] : [b.accuracy, b.confidence];
    if (top - bottom > 0) parts.push(`<rect class="gap" x="${left}" y="${f(y(top))}" width="${width}" height="${f((top - bottom) * h)}">${title}</rect>`);
    parts.push(`<text class="count" x="${f(x((b.lower + b.upper) / 2))}" y="${f(y(Math.max(b.accuracy, b.confidence)) - 3)}" text-anchor="middle">${b.count}</text>`);
  });
  parts.push(`<line class="diagonal" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}"/>`);
  const W = MARGIN.left + w + MARGIN.right;
  const H = MARGIN.top + h + MARGIN.bottom;
  const label = caption.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg class="reliability" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${label}">${parts.join('')}</svg>`;
}
