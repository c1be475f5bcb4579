export const SERVER_VERSION = process.env.ANOMALY_LENS_VERSION ?? '0.1.0';
