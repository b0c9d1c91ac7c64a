/** Progress bar on stderr (cli-progress), one bar per phase (positions, baseline, protected). */
import cliProgress from "cli-progress";

export function progressReporter(): { update: (phase: string, done: number, total: number) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let current = "";
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    update(phase, done, total) {
      if (phase !== current) {
        stop();
        current = phase;
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: `${phase.padEnd(10)} [{bar}] {value}/{total} {duration_formatted}`, hideCursor: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar?.update(done);
    },
    stop,
  };
}
