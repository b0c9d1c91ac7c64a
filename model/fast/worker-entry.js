// Worker thread entry: registers ts-node (transpile only) so the TypeScript worker runs the same from a Hardhat
// task, from mocha and from plain node. Kept as JavaScript because a worker does not inherit the parent's loaders.
/* eslint-disable @typescript-eslint/no-var-requires */
if (!require.extensions[".ts"]) {
  require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
}
require("./worker.ts");
