// One value per pixel from decoded mask samples of any layout.
//   - Grey: the grey value.
//   - RGB(A) whose colour channels are equal everywhere: that grey value.
//   - Other RGB(A): for a binary reading, the largest channel (a pixel is anomalous when any
//     colour channel is above the threshold); for class ids, each distinct colour numbered
//     1, 2, … in ascending 0xRRGGBB order, black staying 0 (reported in a note).
//   - Alpha that varies while the colour is the same everywhere is an alpha-only mask (ink
//     painted with one colour): the alpha is the value.  Otherwise alpha only clears pixels
//     that are fully transparent (they show nothing), and colour decides the rest.
import type { Samples } from './source';

export interface MaskChannel {
  values: Uint16Array;
  /** What the reader had to decide about the layout (for warnings). */
  notes: string[];
}

function hex(colour: number, depth: 8 | 16): string {
  const digits = depth === 16 ? 12 : 6;
  return `#${colour.toString(16).padStart(digits, '0')}`;
}

function numberColours(samples: Samples, pixelCount: number): MaskChannel {
  const { data, channels, depth } = samples;
  const scale = depth === 16 ? 65536 : 256;
  const packed = new Float64Array(pixelCount);
  const distinct = new Set<number>();
  for (let p = 0; p < pixelCount; p++) {
    const at = p * channels;
    const colour = (data[at] * scale + data[at + 1]) * scale + data[at + 2];
    packed[p] = colour;
    distinct.add(colour);
  }
  const colours = [...distinct].filter((c) => c !== 0).sort((a, b) => a - b);
  if (colours.length > 65535) throw new RangeError(`${colours.length} distinct colours cannot be class ids`);
  const idOf = new Map<number, number>(colours.map((c, k) => [c, k + 1]));
  const values = new Uint16Array(pixelCount);
  for (let p = 0; p < pixelCount; p++) values[p] = idOf.get(packed[p]) ?? 0;
  const shown = colours.slice(0, 8).map((c, k) => `${k + 1}=${hex(c, depth)}`);
  const more = colours.length > shown.length ? `, … ${colours.length - shown.length} more` : '';
  return { values, notes: [`colour mask: class ids numbered by colour (${shown.join(', ')}${more})`] };
}

export function maskChannel(samples: Samples, classIds: boolean): MaskChannel {
  const { data, channels, width, height } = samples;
  const pixelCount = width * height;
  if (channels === 1) return { values: Uint16Array.from(data), notes: [] };

  const colourChannels = channels >= 3 ? 3 : 1;
  const alpha = channels === 2 || channels === 4 ? channels - 1 : -1;
  let greyEverywhere = true;
  let oneColour = true;
  let alphaVaries = false;
  for (let p = 0; p < pixelCount; p++) {
    const at = p * channels;
    if (colourChannels === 3 && (data[at] !== data[at + 1] || data[at] !== data[at + 2])) greyEverywhere = false;
    for (let c = 0; c < colourChannels; c++) if (data[at + c] !== data[c]) oneColour = false;
    if (alpha >= 0 && data[at + alpha] !== data[alpha]) alphaVaries = true;
  }

  if (alphaVaries && oneColour) {
    const values = new Uint16Array(pixelCount);
    for (let p = 0; p < pixelCount; p++) values[p] = data[p * channels + alpha];
    return { values, notes: [] };
  }

  let result: MaskChannel;
  if (greyEverywhere) {
    const values = new Uint16Array(pixelCount);
    for (let p = 0; p < pixelCount; p++) values[p] = data[p * channels];
    result = { values, notes: [] };
  } else if (classIds) {
    result = numberColours(samples, pixelCount);
  } else {
    const values = new Uint16Array(pixelCount);
    for (let p = 0; p < pixelCount; p++) {
      const at = p * channels;
      values[p] = Math.max(data[at], data[at + 1], data[at + 2]);
    }
    result = { values, notes: [] };
  }
  if (alphaVaries) {
    for (let p = 0; p < pixelCount; p++) if (data[p * channels + alpha] === 0) result.values[p] = 0;
  }
  return result;
}
