// Describing designated regions with a model bundle: preprocessing, the two encoders,
// a text-embedding cache and ranking of candidate descriptions (paper eq. 3).
import { type LoadedBundle, loadBundle } from './bundle';
import { temperatureOf, uncertainBelowOf } from './confidence';
import { type CandidateSet, type RankedDescription, rankCandidates } from './embeddings';
import { type EncoderOptions, type ImageInput, OnnxImageEncoder, OnnxTextEncoder } from './encoders';
import { type Designation, type DesignationAlpha, combineDesignations, decodeRgb, designationAlpha, normaliseImage } from './preprocess';

export interface PredictorOptions extends EncoderOptions {
  /** Told about texts cut to the context length and similar non-fatal findings. */
  warn?: (message: string) => void;
}

/** One designated region: one mask, or several masks designating it together. */
export type RegionDesignation = Designation | readonly Designation[];

export interface RegionDescription {
  /** Best first. */
  ranking: RankedDescription[];
  /** L2-normalised region embedding. */
  embedding: Float32Array;
  /** The designation was empty or absent, so the whole image was described. */
  wholeImage: boolean;
  /** The designation lies outside the centred square the model sees. */
  outsideCrop: boolean;
}

export class Predictor {
  private readonly textCache = new Map<string, Float32Array>();

  private constructor(
    readonly bundle: LoadedBundle,
    private readonly imageEncoder: OnnxImageEncoder,
    private readonly textEncoder: OnnxTextEncoder,
    private readonly warn: (message: string) => void,
  ) {
    const { textEmbeddings, manifest } = bundle;
    if (textEmbeddings) {
      const D = manifest.embedDim;
      manifest.descriptions.forEach((text, k) => this.textCache.set(text, textEmbeddings.subarray(k * D, (k + 1) * D)));
    }
  }

  /** Loads and checks a bundle folder and opens its encoders (CPU unless told otherwise). */
  static async open(bundleDir: string, options: PredictorOptions = {}): Promise<Predictor> {
    const bundle = loadBundle(bundleDir);
    const image = await OnnxImageEncoder.open(bundle, options);
    let text: OnnxTextEncoder;
    try {
      text = await OnnxTextEncoder.open(bundle, options);
    } catch (err) {
      await image.release();
      throw err;
    }
    return new Predictor(bundle, image, text, options.warn ?? (() => {}));
  }

  get logitScale(): number {
    return this.bundle.manifest.logitScale;
  }

  /** The calibration temperature of the bundle (1 when it records none). */
  get temperature(): number {
    return temperatureOf(this.bundle.manifest);
  }

  /** The bundle's confidence below which an answer is uncertain. */
  get uncertainBelow(): number {
    return uncertainBelowOf(this.bundle.manifest);
  }

  /** The bundle's own descriptions (those its text embeddings were computed for). */
  get descriptions(): readonly string[] {
    return this.bundle.manifest.descriptions;
  }

  /** L2-normalised embeddings of preprocessed images, batched. */
  embedImages(inputs: readonly ImageInput[]): Promise<Float32Array[]> {
    return this.imageEncoder.embed(inputs);
  }

  /** Token ids of a text as the text encoder takes them (warns when the text is cut). */
  inputIds(text: string): number[] {
    const { inputIds, truncated, ids } = this.bundle.tokenizer.encodeForModel(text, this.bundle.manifest.contextLength);
    if (truncated) this.warn(`description ${JSON.stringify(text)} has ${ids.length} tokens; cut to the context of ${this.bundle.manifest.contextLength}`);
    return inputIds;
  }

  /**
   * L2-normalised embeddings of texts. The bundle's precomputed description embeddings and
   * every text embedded before are reused; the rest run through the text encoder in batches.
   */
  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.textCache.has(t)))];
    if (missing.length) {
      const embeddings = await this.textEncoder.embed(missing.map((t) => this.inputIds(t)));
      missing.forEach((t, i) => this.textCache.set(t, embeddings[i]));
    }
    return texts.map((t) => this.textCache.get(t) as Float32Array);
  }

  /** A candidate set for ranking: the given texts, or the bundle's descriptions. */
  async candidates(texts: readonly string[] = this.descriptions): Promise<CandidateSet> {
    return { texts: [...texts], embeddings: await this.embedTexts(texts) };
  }

  /**
   * The topK candidates for a region embedding with cosine and the calibrated probability
   * softmax(logitScale·cos / temperature).
   */
  rank(regionEmbedding: ArrayLike<number>, candidates: CandidateSet, topK?: number): RankedDescription[] {
    return rankCandidates(regionEmbedding, candidates, this.logitScale / this.temperature, topK);
  }

  /**
   * Describes each designated region of one image: the image is decoded and normalised once,
   * each region gets its own alpha, and all regions run through the image encoder together.
   * An empty list of regions describes the whole image once.
   */
  async describeRegions(
    imageFile: string,
    regions: readonly RegionDesignation[],
    candidates: readonly string[] | CandidateSet = this.descriptions,
    topK = 5,
  ): Promise<RegionDescription[]> {
    const set = isCandidateSet(candidates) ? candidates : await this.candidates(candidates);
    const config = this.bundle.preprocess;
    const rgb = await decodeRgb(imageFile);
    const image = normaliseImage(rgb, config);
    const designations = regions.length ? regions : [[]];
    const alphas: DesignationAlpha[] = [];
    for (const region of designations) {
      const mask = await combineDesignations(masksOf(region), rgb.width, rgb.height, imageFile);
      alphas.push(designationAlpha(mask, rgb.width, rgb.height, config));
    }
    const embeddings = await this.embedImages(alphas.map(({ alpha }) => ({ image, alpha })));
    return embeddings.map((embedding, i) => ({
      ranking: this.rank(embedding, set, topK),
      embedding,
      wholeImage: alphas[i].wholeImage,
      outsideCrop: alphas[i].outsideCrop,
    }));
  }

  async close(): Promise<void> {
    await Promise.all([this.imageEncoder.release(), this.textEncoder.release()]);
  }
}

function masksOf(region: RegionDesignation): readonly Designation[] {
  return Array.isArray(region) ? (region as readonly Designation[]) : [region as Designation];
}

function isCandidateSet(value: readonly string[] | CandidateSet): value is CandidateSet {
  return !Array.isArray(value);
}
