// A chart of several runs' curves on one step axis, one colour per run, drawn with uPlot as the
// dashboard's charts are (webviews/training/charts.ts says why uPlot). Runs log different steps:
// uPlot.join aligns them on the union of their steps, and each line spans the others' points.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axisColours, chartBox } from '../chartFrame';

export interface Series {
  label: string;
  colour: string;
  x: number[];
  y: (number | null)[];
}

export interface MultiChart {
  set(series: Series[]): void;
  element: HTMLElement;
}

const HEIGHT = 220;

export function createMultiChart(parent: HTMLElement, spec: { id: string; title: string; format?: (v: number) => string }): MultiChart {
  const { box, plotArea } = chartBox(parent, spec.id, spec.title);
  box.dataset.series = '0';

  const { text, grid } = axisColours();
  const format = spec.format ?? ((v: number) => String(+v.toPrecision(4)));
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  let plot: uPlot | undefined;
  const width = () => Math.max(240, plotArea.clientWidth);
  new ResizeObserver(() => plot?.setSize({ width: width(), height: HEIGHT })).observe(plotArea);

  return {
    element: box,
    set(series) {
      plot?.destroy();
      const drawn = series.filter((s) => s.x.length > 0);
      const data = drawn.length ? uPlot.join(drawn.map((s) => [s.x, s.y as number[]] as uPlot.AlignedData)) : ([[]] as unknown as uPlot.AlignedData);
      plot = new uPlot(
        {
          width: width(),
          height: HEIGHT,
          legend: { show: false },
          cursor: { drag: { x: true, y: false } },
          scales: { x: { time: false } },
          series: [
            { label: 'step' },
            ...drawn.map((s) => ({ label: s.label, stroke: s.colour, width: 1.5, spanGaps: true, points: { show: s.x.length < 3 } })),
          ],
          axes: [axis, { ...axis, size: 60, values: (_u: uPlot, splits: number[]) => splits.map(format) }],
        },
        data,
        plotArea,
      );
      box.dataset.series = String(drawn.length);
      box.dataset.points = String(drawn.reduce((n, s) => n + s.x.length, 0));
    },
  };
}
