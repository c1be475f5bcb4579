// The labels the user gives regions in the mask editor: a new region takes the class last used
// on its object (in this session), else the user picks one of the object's classes or makes a new
// one; a new class of a built dataset is made only once the user confirms it, and the classes
// confirmed are sent with each save of the object's images (the server adds no other).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findClass, labelForNewRegion, newClass, sourceObject, type RegionClass } from '../../server/editor/regionLabels';
import type { RegionMeta, RegionsSource } from '../../server/editor/regionsTypes';
import { CLASS_IDS_FILE } from '../../server/dataset/readers/classIdsFile';

/** One object of one dataset: labels are remembered per object, and never cross datasets. */
function objectKey(source: RegionsSource): string {
  const object = sourceObject(source);
  return source.kind === 'dataset' ? `${source.root}\n${object}` : object;
}

export class RegionLabels {
  private readonly last = new Map<string, RegionClass>();
  private readonly confirmed = new Map<string, RegionClass[]>();

  /** The object's classes, with the new ones the user confirmed in this session. */
  classesOf(source: RegionsSource): RegionClass[] {
    const own = source.kind === 'none' ? [] : (source.classes ?? []);
    return [...own, ...(this.confirmed.get(objectKey(source)) ?? []).filter((c) => !findClass(own, c.description))];
  }

  /** A region was given a label (drawn or described): the next new region on its object takes it. */
  used(source: RegionsSource, meta: RegionMeta): void {
    this.last.set(objectKey(source), { defect: meta.defect, description: meta.description, ...(meta.classId !== undefined ? { classId: meta.classId } : {}) });
  }

  /** The label of a region about to be drawn; undefined when the user cancels. */
  async forNewRegion(source: RegionsSource): Promise<RegionClass | undefined> {
    const classes = this.classesOf(source);
    const label = labelForNewRegion(this.last.get(objectKey(source)), classes) ?? (await this.pick(source, classes));
    if (label) this.last.set(objectKey(source), label);
    return label;
  }

  private async pick(source: RegionsSource, classes: RegionClass[]): Promise<RegionClass | undefined> {
    const object = sourceObject(source);
    type Item = vscode.QuickPickItem & { class?: RegionClass };
    const items: Item[] = classes.map((c) => ({ label: c.description, description: c.classId !== undefined ? `${c.defect} · class id ${c.classId}` : c.defect, class: c }));
    const fresh: Item = { label: '$(add) New class…', description: object ? `a class of ${object} of your own` : 'a description of your own' };
    const choices = isClassIdMask(source) ? items : [...items, fresh];
    const picked = await vscode.window.showQuickPick(choices, {
      title: `The new region's class${object ? ` (${object})` : ''}`,
      placeHolder: classes.length ? `One of ${object || 'the image'}'s classes` : 'No class yet: make one',
    });
    if (!picked) return undefined;
    if (picked.class) return picked.class;
    const text = await vscode.window.showInputBox({ title: `New class${object ? ` of ${object}` : ''}`, prompt: 'Its description', validateInput: (v) => (v.trim() ? undefined : 'Enter a description') });
    return text ? this.confirmNewClass(source, text) : undefined;
  }

  /** A description that is no class of the object: the class made for it once the user confirms, else undefined. */
  async confirmNewClass(source: RegionsSource, description: string): Promise<RegionClass | undefined> {
    const classes = this.classesOf(source);
    const known = findClass(classes, description);
    if (known) return known;
    if (isClassIdMask(source)) {
      void vscode.window.showWarningMessage(`${path.basename(source.mask)} stores class ids: its regions' classes are those of ${CLASS_IDS_FILE} (${classes.map((c) => c.defect).join(', ')}).`);
      return undefined;
    }
    const made = newClass(classes, description);
    if (source.kind === 'dataset') {
      const object = sourceObject(source);
      const answer = await vscode.window.showWarningMessage(
        `Add "${made.description}" to ${object}'s classes (as ${made.defect})? It is written to dataset.json when you save.`,
        { modal: true },
        'Add Class',
      );
      if (answer !== 'Add Class') return undefined;
    }
    this.confirmed.set(objectKey(source), [...(this.confirmed.get(objectKey(source)) ?? []), made]);
    return made;
  }

  /** The descriptions confirmed as new classes of the source's object, for its saves. */
  newClasses(source: RegionsSource): string[] {
    return source.kind === 'dataset' ? (this.confirmed.get(objectKey(source)) ?? []).map((c) => c.description) : [];
  }
}

function isClassIdMask(source: RegionsSource): source is Extract<RegionsSource, { kind: 'mask' }> {
  return source.kind === 'mask' && source.classNames !== undefined;
}

/** The one set of labels of this window's mask editors. */
export const regionLabels = new RegionLabels();
