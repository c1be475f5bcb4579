// Describe Region's result: the image with each region outlined and numbered in its colour, and
// beside it each region's answers with their probabilities. It stays open until closed; Describe
// Region on the same image again shows the new result here.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { regionColour } from '../../server/masks/regionColour';
import { connect, el } from '../channel';
import type { DescribeEvent, DescribeRequests, DescribeState, DescribeView, DescribedRegionView } from './messages';
import './style.css';

const channel = connect<DescribeRequests, DescribeEvent, DescribeState>((event) => {
  if (event.kind === 'result') show(event.view);
});
const root = document.getElementById('root') ?? document.body;

const percent = (p: number) => `${(p * 100).toFixed(p >= 0.9995 ? 0 : 1)} %`;

function swatch(id: number): HTMLElement {
  const [r, g, b] = regionColour(id);
  const s = el('span', 'swatch', String(id));
  s.style.background = `rgb(${r}, ${g}, ${b})`;
  // Dark digits on light colours, as the picture's labels.
  s.style.color = 0.2126 * r + 0.7152 * g + 0.0722 * b > 150 ? '#141414' : '#ffffff';
  return s;
}

function regionCard(region: DescribedRegionView): HTMLElement {
  const card = el('section', 'region');
  card.dataset.region = String(region.id);
  const head = el('header');
  head.append(swatch(region.id), el('span', 'where', region.where));
  card.append(head);
  if (region.note) card.append(el('div', 'note', region.note));
  if (region.uncertain) {
    card.classList.add('uncertain');
    card.append(el('div', 'uncertain', region.uncertain));
  }
  const list = el('ol', 'answers');
  region.ranking.forEach((answer, rank) => {
    const li = el('li', rank === 0 && !region.uncertain ? 'answer best' : 'answer');
    const bar = el('span', 'bar');
    bar.style.width = `${Math.max(1, Math.round(answer.probability * 100))}%`;
    const line = el('div', 'line');
    line.append(el('span', 'text', answer.text), el('span', 'probability', percent(answer.probability)));
    line.title = `cosine ${answer.cosine.toFixed(3)}`;
    li.append(line, bar);
    list.append(li);
  });
  card.append(list);
  card.addEventListener('dblclick', () => void channel.request('openInMaskEditor', { region: region.id }));
  return card;
}

function show(view: DescribeView): void {
  channel.vscode.setState({ view });
  const header = el('header', 'top');
  const title = el('div', 'title');
  title.append(el('h1', undefined, view.imageName), el('div', 'subtitle', `${view.imageFolder} · described by ${view.bundleName}`));
  const open = el('vscode-button', undefined, 'Open in Mask Editor');
  open.title = 'Edit these regions (double-click a region to select it there)';
  open.addEventListener('click', () => void channel.request('openInMaskEditor', {}));
  header.append(title, open);

  const body = el('div', 'columns');
  const figure = el('figure', 'picture');
  if (view.picture) {
    const img = el('img');
    img.src = view.picture.dataUrl;
    img.alt = `${view.imageName} with ${view.regions.length} region${view.regions.length === 1 ? '' : 's'} outlined and numbered`;
    // A small image is shown larger, its pixels kept sharp.
    if (Math.max(view.picture.width, view.picture.height) < 256) img.classList.add('small');
    figure.append(img);
  } else figure.append(el('div', 'note', 'No picture of the image.'));
  const regions = el('div', 'regions');
  regions.append(...view.regions.map(regionCard));
  for (const warning of view.warnings) regions.append(el('div', 'warning', warning));
  body.append(figure, regions);
  root.replaceChildren(header, body);
  document.body.dataset.ready = 'true';
}

const kept = channel.vscode.getState();
if (kept?.view) show(kept.view);
void channel.request('ready').then((view) => {
  if (view) show(view);
});
