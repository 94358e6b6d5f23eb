/**
 * Runs `pacedLoad` in its own process (forked by `pacedLoadInChild`; not meant to be run by hand): the
 * benchmark's own process holds every pre-signed body and the data it checks, and its garbage collection
 * pauses would otherwise be counted as the server's latency.
 */
import { type PacedLoadJob, pacedLoad } from './paced-load';

process.once('message', (job: PacedLoadJob) => {
  pacedLoad(job).then(
    (figures) => process.send!(figures, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
});
