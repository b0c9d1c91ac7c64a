/**
 * Pure builders from report views to ECharts options, one file per chart family. Options are plain JSON (no functions), so
 * they can be inlined into the page and checked in Node tests. Every chart is readable without
 * colour: line dash styles, marker shapes, end labels and decal patterns (aria.decal) carry the
 * series identity; every axis carries its unit in its name.
 */
export { PALETTE, runStyle, type ChartSpec, type EChartsOptionJson } from "./common";
export * from "./exposure";
export * from "./distribution";
export * from "./cascade";
export * from "./replay";
export * from "./haircut";
export * from "./impact";
