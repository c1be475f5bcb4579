// Evaluation of region description models (docs/architecture.md, "Evaluation"): metrics over prediction records,
// the evaluation run, and its JSON, Markdown and HTML reports.
export { type RankedAnswer, type RegionPrediction, type Role, isCorrect, inTopK, predicted } from './records';
export * from './metrics';
export { type CandidateMode, CANDIDATE_MODES, candidatePlan, candidatesFor } from './candidates';
export { type EvaluateOptions, type Evaluation, type EvalInputs, evaluate } from './evaluate';
export { type CalibrateOptions, calibrateBundle, fitCalibration } from './calibrate';
export { REPORT_FILES, writeReport } from './report/write';
export { REPORT_SCHEMA_VERSION, type ReportJson } from './report/json';
export { calibrationLine, markdownReport, paperTables } from './report/markdown';
export { htmlReport } from './report/html';
