import type { DescriptionEntry } from '../dataset/format';

export interface DescriberOptions {
  mode: 'builtin' | 'llm';
  /** Curated overrides file (JSON), applied over either mode. */
  overrides?: string;
  llm?: {
    model?: string;
    baseURL?: string;
    /** Cache folder for LLM answers. */
    cacheDir?: string;
  };
}

export interface Describer {
  /** A readable description of `defect` on `object`; `exampleImage` is shown to an LLM. */
  describe(object: string, defect: string, exampleImage?: string): Promise<DescriptionEntry>;
}

export function createDescriber(options: DescriberOptions): Describer {
  void options;
  throw new Error('createDescriber: not implemented');
}
