export { ClipTokenizer, CONTEXT_LENGTH, START_OF_TEXT, END_OF_TEXT, type ModelInput, type TokenizerOptions } from './tokenizer';
export { cleanText, fixText } from './clean';
export { htmlUnescape } from './htmlUnescape';
export { pretokenize } from './pretokenize';
export { type Merge, CLIP_MERGE_COUNT, MERGES_HEADER, formatMerges, parseMerges, readMergesFile, writeMergesFile } from './merges';
export { learnMerges } from './learn';
export { writeTokenFile, tokenFileContent, formatTokenFile, type TokenFile, type TokenFileTokenizer, type TokenFileResult } from './tokenFile';
