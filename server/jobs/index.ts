export { findPython, INSTALL_HINT, PYTHON_ENV, type FindPythonOptions, type PythonInfo } from './findPython';
export { LineSplitter } from './jsonLines';
export { runTrainer, trainerCommand, TrainerError, type TrainerOutcome, type TrainerRunOptions } from './runner';
export { trainerPythonPath } from './trainerPackage';
export { datasetDescriptions, prepareRun, tokenizerOfInit, type PreparedRun, type PrepareRunOptions } from './trainSetup';
export * from './trainProgress';
