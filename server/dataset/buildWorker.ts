// Worker-thread entry for dataset building (filled by the builder).
export {};
