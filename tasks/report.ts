import { task, types } from "hardhat/config";

/** `npx hardhat report --in sim.json params.json replay.json --out report.html [--png DIR]` */
export const TASK_REPORT = "report";

task(TASK_REPORT, "Writes a self-contained HTML risk report (and optional PNGs) from simulation, params and replay JSON files")
  .addVariadicPositionalParam("files", "Input JSON files (also accepted through --in)", [], types.string)
  .addOptionalParam("in", "Comma- or space-separated input files: simulation output, params file, replay results, ecosystem", undefined, types.string)
  .addOptionalParam("out", "Output HTML file", "reports/report.html", types.string)
  .addOptionalParam("png", "Directory for one PNG per chart (needs /usr/bin/chromium)", undefined, types.string)
  .addOptionalParam("title", "Page title", undefined, types.string)
  .setAction(async (args: { files: string[]; in?: string; out: string; png?: string; title?: string }) => {
    const { writeReport, ReportInputError } = await import("../report");
    const { HardhatPluginError } = await import("hardhat/plugins");
    const { ChromiumMissingError } = await import("../report/png");
    const files = [...(args.in ? args.in.split(/[,\s]+/).filter(Boolean) : []), ...args.files];
    let result;
    try {
      result = await writeReport({ files, outFile: args.out, pngDir: args.png, title: args.title });
    } catch (e) {
      // Bad input is the user's to fix: print the file and field, not a stack trace.
      if (e instanceof ReportInputError || e instanceof ChromiumMissingError) throw new HardhatPluginError(TASK_REPORT, e.message);
      throw e;
    }
    console.log(`report: wrote ${result.outFile} (${(result.bytes / 1024).toFixed(0)} KiB, ${result.charts.length} charts: ${result.charts.join(", ")})`);
    if (result.pngFiles.length) console.log(`report: wrote ${result.pngFiles.length} PNG(s) to ${args.png}`);
  });
