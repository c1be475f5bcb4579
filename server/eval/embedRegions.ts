// Region embeddings for many images at once: each image and mask is decoded once, then
// preprocessed for every bundle (bundles may differ in input size) and run through its
// image encoder in batches that span images.
import { UserError, errorMessage, type Problem } from '../util/errors';
import type { Predictor } from '../model';
import { type RgbImage, decodeMask, decodeRgb, designationAlpha, normaliseImage, type PreprocessConfig } from '../model/preprocess';
import type { BinaryMask } from '../model/resample';
import type { EvalImage } from './splitImages';

interface Decoded {
  image: EvalImage;
  rgb: RgbImage;
  masks: BinaryMask[];
}

export interface EmbeddedImage {
  image: EvalImage;
  /** Per predictor (in the order given), one L2-normalised embedding per region. */
  embeddings: Float32Array[][];
}

async function decode(image: EvalImage): Promise<Decoded> {
  const rgb = await decodeRgb(image.imageFile);
  const { width, height } = image.record;
  if (rgb.width !== width || rgb.height !== height) {
    throw new UserError(`the image is ${rgb.width}x${rgb.height} but its record says ${width}x${height}`, image.imageFile);
  }
  const masks = await Promise.all(image.maskFiles.map((f) => decodeMask(f)));
  masks.forEach((mask, i) => {
    if (mask.width !== rgb.width || mask.height !== rgb.height) {
      throw new UserError(`the mask is ${mask.width}x${mask.height} but the image ${image.imageFile} is ${rgb.width}x${rgb.height}`, image.maskFiles[i]);
    }
  });
  return { image, rgb, masks };
}

function configKey(config: PreprocessConfig): string {
  return JSON.stringify([config.imageSize, config.mean, config.std, config.alphaMean, config.alphaStd]);
}

/** Encoder inputs of every region of the decoded images, for one preprocessing. */
function inputsFor(decoded: readonly Decoded[], config: PreprocessConfig, problems: Problem[]) {
  const inputs: { image: Float32Array; alpha: Float32Array }[] = [];
  for (const { image, rgb, masks } of decoded) {
    const normalised = normaliseImage(rgb, config);
    masks.forEach((mask, i) => {
      const { alpha, wholeImage, outsideCrop } = designationAlpha(mask, rgb.width, rgb.height, config);
      if (wholeImage) problems.push({ file: image.maskFiles[i], message: 'the region mask is empty; the whole image was designated', severity: 'warning' });
      else if (outsideCrop) problems.push({ file: image.maskFiles[i], message: 'the region lies outside the centred square the model sees', severity: 'warning' });
      inputs.push({ image: normalised, alpha });
    });
  }
  return inputs;
}

/**
 * Embeds the regions of a group of images with every predictor. Images that cannot be read
 * (or whose masks do not fit them) become problems and are left out of the result.
 */
export async function embedRegions(images: readonly EvalImage[], predictors: readonly Predictor[], problems: Problem[]): Promise<EmbeddedImage[]> {
  const settled = await Promise.allSettled(images.map(decode));
  const decoded: Decoded[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') decoded.push(result.value);
    else {
      const err = result.reason;
      const file = err instanceof UserError && err.file ? err.file : images[i].imageFile;
      const message = err instanceof UserError && err.file ? err.message.slice(err.file.length + 2) : errorMessage(err);
      problems.push({ file, message, severity: 'error' });
    }
  });
  if (decoded.length === 0) return [];

  const perPredictor: Float32Array[][] = [];
  const inputsByConfig = new Map<string, ReturnType<typeof inputsFor>>();
  for (const predictor of predictors) {
    const config = predictor.bundle.preprocess;
    const key = configKey(config);
    let inputs = inputsByConfig.get(key);
    if (!inputs) {
      // Warnings about masks depend on the geometry; report them for the first bundle only.
      inputs = inputsFor(decoded, config, inputsByConfig.size === 0 ? problems : []);
      inputsByConfig.set(key, inputs);
    }
    perPredictor.push(await predictor.embedImages(inputs));
  }

  const out: EmbeddedImage[] = [];
  let offset = 0;
  for (const { image, masks } of decoded) {
    out.push({ image, embeddings: perPredictor.map((rows) => rows.slice(offset, offset + masks.length)) });
    offset += masks.length;
  }
  return out;
}
