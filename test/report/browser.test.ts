/**
 * Opens a generated report in headless Chromium (Debian `chromium` via playwright-core) from a
 * file:// URL and checks that every chart rendered with data, with no console errors. Keeps the
 * page, a full-page screenshot and the per-chart PNGs under test-artifacts/report/.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import type { Browser } from "playwright-core";
import { buildReportView, inputsFromObjects, reportCharts, writeReportFromObjects } from "../../report";
import { chromiumPath, launchChromium, openReport, renderChartPngs } from "../../report/png";
import hre from "hardhat";
import { reportTestInputs } from "./inputs";

const ARTIFACTS = path.join(__dirname, "..", "..", "test-artifacts", "report");

interface ChartState {
  id: string;
  seriesCount: number;
  seriesWithData: number;
  canvasWidth: number;
  inkedPixels: number;
  sampledPixels: number;
}

describe("report: in a real browser", function () {
  this.timeout(300_000);
  let browser: Browser | undefined;
  let htmlFile: string;
  let expectedIds: string[];

  before(async function () {
    if (!fs.existsSync(chromiumPath())) {
      console.log(`    (skipped: Chromium not found at ${chromiumPath()}; install the Debian package \`chromium\` or set CHROMIUM_PATH)`);
      this.skip();
    }
    const objects = await reportTestInputs(hre);
    const inputs = inputsFromObjects(objects);
    expectedIds = reportCharts(buildReportView({ inputs })).map((c) => c.chart.id);
    // Every section of the issue is present: exposure, distributions with VaR/ES, cascade curve, replay, params.
    const replay = objects.find((o) => o.name.endsWith(".replay.json"))!.data as { runs: Array<{ run: string; pauses: unknown[] }> };
    expect(replay.runs.map((r) => r.run)).to.deep.equal(["baseline", "protected"]);
    for (const id of ["exposure-graph", "dist-navloss", "dist-depeg", "exceedance-baddebt", "cascade-curve", "replay-report-mini-dislocation", "haircut-curves"]) {
      expect(expectedIds, "charts of the report").to.include(id);
    }
    htmlFile = path.join(ARTIFACTS, "report.html");
    // Keep the inputs next to the page: `npx hardhat report --in test-artifacts/report/inputs/*.json` rebuilds it.
    const inputsDir = path.join(ARTIFACTS, "inputs");
    fs.mkdirSync(inputsDir, { recursive: true });
    for (const o of objects) fs.writeFileSync(path.join(inputsDir, path.basename(o.name)), JSON.stringify(o.data, null, 1));
    // The same entry point `npm run demo` uses.
    await writeReportFromObjects({ objects, outFile: htmlFile, title: "Cascade Guard risk report (browser test)" });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  it("renders every chart with data, without console errors, and keeps a screenshot", async () => {
    const { page, errors, chartIds } = await openReport(browser!, htmlFile);
    expect(errors, errors.join("\n")).to.deep.equal([]);
    expect(chartIds).to.deep.equal(expectedIds);
    expect(chartIds.length).to.be.greaterThan(0);

    const states: ChartState[] = await page.evaluate((ids: string[]) => {
      const g = globalThis as unknown as {
        echarts: { getInstanceByDom(el: unknown): { getOption(): { series?: Array<{ data?: unknown[]; nodes?: unknown[]; type: string }> } } | undefined };
        document: { getElementById(id: string): { querySelector(s: string): unknown } | null };
      };
      return ids.map((id) => {
        const el = g.document.getElementById(id);
        const chart = el ? g.echarts.getInstanceByDom(el) : undefined;
        const series = chart?.getOption().series ?? [];
        // A helper series may be empty on purpose (the exposure graph's colour-scale legend).
        const withData = series.filter((s) => (s.data?.length ?? 0) > 0 || (s.nodes?.length ?? 0) > 0).length;
        const canvas = el?.querySelector("canvas") as
          | { width: number; height: number; getContext(k: string): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }
          | null;
        let inked = 0;
        let sampled = 0;
        if (canvas) {
          const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
          for (let i = 0; i < data.length; i += 4 * 7) {
            sampled += 1;
            // Not white and not transparent: something was drawn here.
            if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] < 3 * 235) inked += 1;
          }
        }
        return { id, seriesCount: series.length, seriesWithData: withData, canvasWidth: canvas?.width ?? 0, inkedPixels: inked, sampledPixels: sampled };
      });
    }, chartIds);

    for (const s of states) {
      expect(s.seriesCount, `${s.id}: series`).to.be.greaterThan(0);
      expect(s.seriesWithData, `${s.id}: series with data`).to.be.greaterThan(0);
      expect(s.canvasWidth, `${s.id}: canvas`).to.be.greaterThan(300);
      // More than 1% of sampled pixels carry ink: titles alone stay far below, a drawn chart above.
      expect(s.inkedPixels / s.sampledPixels, `${s.id}: share of inked pixels`).to.be.greaterThan(0.01);
    }
    const shot = path.join(ARTIFACTS, "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).to.be.greaterThan(50_000);
    await page.close();
  });

  it("exports one PNG per chart (--png)", async () => {
    const outDir = path.join(ARTIFACTS, "png");
    fs.rmSync(outDir, { recursive: true, force: true });
    const { files } = await renderChartPngs({ htmlFile, outDir });
    expect(files.map((f) => path.basename(f, ".png"))).to.deep.equal(expectedIds);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      expect(bytes.subarray(0, 8).toString("hex"), f).to.equal("89504e470d0a1a0a");
      expect(bytes.length, f).to.be.greaterThan(10_000);
    }
  });
});
