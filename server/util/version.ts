// The tool's version, package.json's (bundled in at build time): recorded in every dataset built,
// answered by `anomaly-lens --version` and the server's ping, written into reports.
import { version } from '../../package.json';

export const TOOL_VERSION: string = process.env.ANOMALY_LENS_VERSION ?? version;
