// What the dashboard's and the run comparison's charts share: the titled box a chart is drawn in
// (its id `chart-<id>`, read by the tests), and the theme's colours for its axes.
import { el, themeColour } from './channel';

export function chartBox(parent: HTMLElement, id: string, title: string): { box: HTMLElement; plotArea: HTMLElement } {
  const box = el('section', 'chart');
  box.id = `chart-${id}`;
  box.append(el('h2', undefined, title));
  const plotArea = el('div', 'plot');
  box.append(plotArea);
  parent.append(box);
  return { box, plotArea };
}

export function axisColours(): { text: string; grid: string } {
  return {
    text: themeColour('--vscode-foreground', '#cccccc'),
    grid: themeColour('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
  };
}
