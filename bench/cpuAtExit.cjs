// Preloaded into a benchmarked command (node --require): writes the process's CPU time, all
// threads together, to $BENCH_CPU_FILE when it exits.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_CPU_FILE) writeFileSync(process.env.BENCH_CPU_FILE, JSON.stringify(process.cpuUsage()));
});
