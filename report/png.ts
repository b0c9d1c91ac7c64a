/**
 * Headless Chromium (Debian `chromium`) through playwright-core: opens a generated report from a
 * `file://` URL and exports each chart as a PNG. Also used by the browser test.
 */
import fs from "fs";
import path from "path";
import { pathToFileURL } from "url";
import type { Browser, Page } from "playwright-core";
import { UserError } from "../spec/errors";

/** Where the Debian package installs Chromium; override with CHROMIUM_PATH. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags for this closed network: without the background-networking ones Chromium's connections are refused. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
}

/** Chromium is needed (PNG export) but absent. */
export class ChromiumMissingError extends UserError {
  constructor(readonly executablePath: string) {
    super(`Chromium not found at ${executablePath}: install the Debian package (apt-get install chromium) or set CHROMIUM_PATH`);
    this.name = "ChromiumMissingError";
  }
}

/** Launches headless Chromium or throws ChromiumMissingError saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Chart ids inlined in a generated page (the `cg-charts` JSON block). */
export function chartIdsOf(html: string): string[] {
  const m = /<script type="application\/json" id="cg-charts">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error("not a Cascade Guard report: no cg-charts block");
  return (JSON.parse(m[1]) as Array<{ id: string }>).map((c) => c.id);
}

export interface OpenedReport {
  page: Page;
  /** Console errors and uncaught page errors seen while loading. */
  errors: string[];
  chartIds: string[];
}

/** Opens a report file in a new page and waits until every chart has been initialised. */
export async function openReport(browser: Browser, htmlFile: string, viewport = { width: 1400, height: 1000 }): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("requestfailed", (req) => errors.push(`request failed: ${req.url()}`));
  await page.goto(pathToFileURL(path.resolve(htmlFile)).href, { waitUntil: "load" });
  await page.waitForSelector("body[data-charts-ready]", { timeout: 30_000 });
  const state = await page.evaluate(() => (globalThis as unknown as { cascadeGuardReport: { chartIds: string[]; errors: string[] } }).cascadeGuardReport);
  errors.push(...state.errors.map((e) => `chart: ${e}`));
  return { page, errors, chartIds: state.chartIds };
}

export interface RenderPngsRequest {
  htmlFile: string;
  outDir: string;
  /** Device pixels per CSS pixel in the PNG (2 = crisp on slides). */
  pixelRatio?: number;
}

/** Writes `<outDir>/<chartId>.png` for every chart of the report; fails if the page had errors. */
export async function renderChartPngs(req: RenderPngsRequest): Promise<{ files: string[] }> {
  const browser = await launchChromium();
  try {
    const { page, errors, chartIds } = await openReport(browser, req.htmlFile);
    if (errors.length) throw new Error(`${req.htmlFile}: the page reported errors:\n  ${errors.join("\n  ")}`);
    fs.mkdirSync(req.outDir, { recursive: true });
    const files: string[] = [];
    for (const id of chartIds) {
      const dataUrl = await page.evaluate(
        ({ id, pixelRatio }) => {
          const w = globalThis as unknown as {
            echarts: { getInstanceByDom(el: unknown): { getDataURL(o: object): string } | undefined };
            document: { getElementById(id: string): unknown };
          };
          const el = w.document.getElementById(id);
          const chart = el ? w.echarts.getInstanceByDom(el) : undefined;
          if (!chart) throw new Error(`chart ${id} is not initialised`);
          return chart.getDataURL({ type: "png", pixelRatio, backgroundColor: "#ffffff" });
        },
        { id, pixelRatio: req.pixelRatio ?? 2 },
      );
      const file = path.join(req.outDir, `${id}.png`);
      fs.writeFileSync(file, Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ""), "base64"));
      files.push(file);
    }
    return { files };
  } finally {
    await browser.close();
  }
}
