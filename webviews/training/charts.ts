// The dashboard's curves, drawn with uPlot: a maintained charting library of about 50 kB that
// draws on a canvas, needs no eval and no inline style attributes (it sets styles through the
// CSSOM, which a strict Content-Security-Policy allows), and appends streaming points cheaply
// (setData redraws thousands of points in a millisecond or two). Heavier libraries either inject
// <style> elements (blocked without 'unsafe-inline') or build SVG nodes per point.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { themeColour } from '../channel';
import { axisColours, chartBox } from '../chartFrame';

export interface ChartSpec {
  id: string;
  title: string;
  /** A --vscode-charts-… theme colour and its fallback. */
  colour: [string, string];
  format?: (value: number) => string;
}

export interface Chart {
  /** Replaces the points: x ascending, y aligned with x (null: a gap). */
  set(x: number[], y: (number | null)[]): void;
  element: HTMLElement;
}

export function createChart(parent: HTMLElement, spec: ChartSpec): Chart {
  const { box, plotArea } = chartBox(parent, spec.id, spec.title);
  box.dataset.points = '0';

  const { text, grid } = axisColours();
  const stroke = themeColour(spec.colour[0], spec.colour[1]);
  const format = spec.format ?? ((v: number) => String(+v.toPrecision(4)));
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const options: uPlot.Options = {
    width: Math.max(200, plotArea.clientWidth),
    height: 180,
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: false } },
    series: [
      { label: 'step' },
      { label: spec.title, stroke, width: 1.5, spanGaps: true, points: { show: (u: uPlot) => (u.data[0]?.length ?? 0) < 3 } },
    ],
    axes: [axis, { ...axis, size: 60, values: (_u: uPlot, splits: number[]) => splits.map(format) }],
  };
  const plot = new uPlot(options, [[], []], plotArea);
  new ResizeObserver(() => plot.setSize({ width: Math.max(200, plotArea.clientWidth), height: 180 })).observe(plotArea);

  return {
    element: box,
    set(x, y) {
      plot.setData([x, y as number[]]);
      box.dataset.points = String(x.length);
    },
  };
}
