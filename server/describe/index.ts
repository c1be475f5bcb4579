// Readable descriptions of (object, defect) classes (paper §3.2).
export { createDescriber, type ClassDescriber, type DescribeRequest, type Describer, type DescriberOptions, type GivenDescription } from './describer';
export { fallbackProblem, DescriptionSkipped } from './fallback';
export { builtinDescription, type BuiltinText, type BuiltinSource } from './builtin';
export { KNOWN_OBJECTS, knownClasses, type KnownDataset, type KnownObject } from './catalog';
export { readableObject, readableDefect } from './names';
export { loadOverrides, parseOverrides, type Overrides, type OverrideEntry } from './overrides';
export { resolveLlmConfig, ENV as LLM_ENV, DEFAULT_MODEL, LLM_DEFAULTS, type LlmOptions, type LlmConfig } from './llm/config';
export { promptHash } from './llm/prompt';
export { overridesTemplateText, writeOverridesTemplate, TEMPLATE_COMMENT } from './template';
