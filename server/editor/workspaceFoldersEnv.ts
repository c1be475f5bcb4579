// @pure: the environment variable in which the extension names, when it starts the child server,
// the workspace folders a mask the editor chose may be written in (a JSON list of absolute paths).
export const WORKSPACE_FOLDERS_ENV = 'ANOMALY_LENS_WORKSPACE_FOLDERS';
