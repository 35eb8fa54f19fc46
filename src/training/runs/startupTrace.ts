// With GAN_STARTUP_TRACE=1 the worker prints when each start-up phase ended, in seconds since
// its process started and as a Unix time in ms, to stderr (which `GAN_DEBUG=1 gan train`, the
// extension's log and the run's worker.log show): how the time to the first sample grid splits
// between process start, backend, data, networks and rendering.
const enabled = process.env.GAN_STARTUP_TRACE === '1';

export function tracePhase(phase: string): void {
  if (enabled)
    console.error(`gan: startup ${phase} at ${process.uptime().toFixed(2)} s (unix ms ${Date.now()})`);
}
