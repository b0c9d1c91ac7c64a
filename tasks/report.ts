import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";

/** `npx hardhat report --in sim.json params.json replay.json --out report.html [--png DIR]` */
export const TASK_REPORT = "report";

task(TASK_REPORT, "Writes a self-contained HTML risk report (and optional PNGs) from simulation, params and replay JSON files")
  .addVariadicPositionalParam("files", "Input JSON files (also accepted through --in)", [], types.string)
  .addOptionalParam("in", "Comma- or space-separated input files: simulation output, params file, replay results, ecosystem", undefined, types.string)
  .addOptionalParam("out", "Output HTML file", "reports/report.html", types.string)
  .addOptionalParam("png", "Directory for one PNG per chart (needs /usr/bin/chromium)", undefined, types.string)
  .addOptionalParam("title", "Page title", undefined, types.string)
  .setAction(userTask(TASK_REPORT, async (args: { files: string[]; in?: string; out: string; png?: string; title?: string }) => {
    const { writeReport } = await import("../report");
    const files = [...(args.in ? args.in.split(/[,\s]+/).filter(Boolean) : []), ...args.files];
    // Bad input (ReportInputError) and a missing Chromium (ChromiumMissingError) are UserErrors: one line, exit 1.
    const result = await writeReport({ files, outFile: args.out, pngDir: args.png, title: args.title });
    console.log(`report: wrote ${result.outFile} (${(result.bytes / 1024).toFixed(0)} KiB, ${result.charts.length} charts: ${result.charts.join(", ")})`);
    if (result.pngFiles.length) console.log(`report: wrote ${result.pngFiles.length} PNG(s) to ${args.png}`);
  }));
