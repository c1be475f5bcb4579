// The objects of the sample dataset, the defect types each can show, and the mask grey
// value of each defect type per object (the object's class_ids.json).
import type { DefectType } from './defects';
import { renderBottleTop } from './objects/bottleTop';
import { renderFabric } from './objects/fabric';
import { renderPlate } from './objects/plate';
import type { RenderScene } from './objects/scene';
import { renderTile } from './objects/tile';
import { renderWasher } from './objects/washer';

export interface SampleObject {
  name: string;
  /** Defect types in class-id order: the first gets 255, the next 254, … */
  defects: readonly DefectType[];
  render: RenderScene;
}

export const SAMPLE_OBJECTS: readonly SampleObject[] = [
  { name: 'washer', defects: ['scratch', 'crack', 'missing_piece', 'contamination'], render: renderWasher },
  { name: 'tile', defects: ['crack', 'stain', 'hole', 'scratch'], render: renderTile },
  { name: 'fabric', defects: ['hole', 'stain', 'contamination'], render: renderFabric },
  { name: 'plate', defects: ['scratch', 'hole', 'stain', 'crack'], render: renderPlate },
  { name: 'bottle_top', defects: ['scratch', 'missing_piece', 'contamination', 'hole'], render: renderBottleTop },
];

/** The mask value of a defect type in an object's class-id masks. */
export function classValue(object: SampleObject, defect: DefectType): number {
  const i = object.defects.indexOf(defect);
  if (i < 0) throw new Error(`${object.name} has no defect type ${defect}`);
  return 255 - i;
}

/**
 * The object's class_ids.json text, keys from 255 down and "0": "good" last, as MVTec
 * 3D-AD writes it (a JSON object built in JavaScript would sort integer keys upwards).
 */
export function classIdsJson(object: SampleObject): string {
  const lines = object.defects.map((defect) => `  "${classValue(object, defect)}": ${JSON.stringify(defect)},`);
  return `{\n${lines.join('\n')}\n  "0": "good"\n}\n`;
}
