// What Review Labels found of the region the editor was opened on, at the top of the side panel:
// its label then, the model's answers, and a button that gives the region the model's answer
// (an edit like any other: undoable, saved with the document).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { regionColour } from '../../server/masks/regionColour';
import { el } from '../channel';
import { describeAs } from './edits';
import type { ReviewNote } from './messages';
import { side } from './page';
import { select } from './regionPanel';
import { model } from './shownDocument';
import './reviewNote.css';

const box = el('section', 'review-note');
box.hidden = true;
let note: ReviewNote | undefined;

const percent = (p: number) => `${(p * 100).toFixed(1)} %`;
const folderName = (folder: string) => folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;

/** Whose answers these are; when the model is not sure of its best one, it says so instead of reading the region. */
function modelLine(shown: ReviewNote): HTMLElement {
  const name = folderName(shown.bundle);
  if (!shown.uncertain) return el('div', 'model', `${name} reads it as:`);
  const line = el('div', 'model uncertain', `${name} is uncertain; its top candidates:`);
  line.title = 'Its best answer is less probable than its calibrated threshold';
  return line;
}

/** Shows the note (undefined: none), or draws it again against the regions as they are now. */
export function showReviewNote(next?: ReviewNote | null): void {
  if (next !== null) note = next ?? note;
  if (!box.isConnected) side.prepend(box);
  const region = note && model?.region(note.region);
  if (!note || !region) {
    box.hidden = true;
    return;
  }
  const shown = note;
  box.hidden = false;
  const best = shown.model[0];
  const [r, g, b] = regionColour(shown.region);
  const swatch = el('span', 'swatch');
  swatch.style.background = `rgb(${r}, ${g}, ${b})`;
  const title = el('div', 'title');
  title.append(el('b', undefined, 'Review Labels'), ' · ', swatch, `region #${shown.region}`);
  const answers = el('ol', 'answers');
  for (const answer of shown.model) {
    const li = el('li', answer === best ? 'best' : undefined);
    li.append(el('span', 'text', answer.text), ' ', el('span', 'probability', percent(answer.probability)));
    answers.append(li);
  }
  const parts: HTMLElement[] = [title, el('div', 'truth', `Labelled: ${shown.truth}`), modelLine(shown), answers];
  if (best && region.description === best.text) parts.push(el('div', 'taken', "✓ Now labelled with the model's answer."));
  else if (best) {
    const take = el('vscode-button', 'take', `Label it “${best.text}”`);
    take.title = "Give the region the model's answer (undoable; saved with the mask)";
    take.addEventListener('click', () => {
      select(shown.region, false);
      describeAs(best.text);
    });
    parts.push(take);
  }
  box.replaceChildren(...parts);
}
