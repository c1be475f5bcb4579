// Fault injection for the durability tests: the process kills itself (SIGKILL, as a power cut or
// `kill -9` would) when it reaches the point named by ANOMALY_LENS_FAULT_POINT.  Inert otherwise.
export function faultPoint(name: string): void {
  if (process.env.ANOMALY_LENS_FAULT_POINT === name) process.kill(process.pid, 'SIGKILL');
}
