// Fault injection for the durability tests: the process kills itself (SIGKILL, as a power cut or
// `kill -9` would) when it reaches the point named by ANOMALY_LENS_FAULT_POINT, or stops itself
// (SIGSTOP, until the test sends SIGCONT) at the point named by ANOMALY_LENS_PAUSE_POINT, the
// first time it gets there.  Inert otherwise.
let paused = false;

export function faultPoint(name: string): void {
  if (process.env.ANOMALY_LENS_FAULT_POINT === name) process.kill(process.pid, 'SIGKILL');
  if (!paused && process.env.ANOMALY_LENS_PAUSE_POINT === name) {
    paused = true;
    process.kill(process.pid, 'SIGSTOP');
  }
}
