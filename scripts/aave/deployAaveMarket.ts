/** Chooses the deploy module of an Aave generation (v3.0.2 bytecode or v3.6 source). */
import { DEFAULT_AAVE_VERSION, deployAaveV3, type AaveV3Deployment, type AaveVersion, type DeployAaveV3Request } from "./deployAaveV3";
import { deployAaveV36 } from "./deployAaveV36";

/** Deploys an empty Aave market of the given generation (default v3.6) through the deploy module of that generation. */
export async function deployAaveMarket(request: DeployAaveV3Request & { version?: AaveVersion }): Promise<AaveV3Deployment> {
  const version = request.version ?? DEFAULT_AAVE_VERSION;
  if (version === "3.6") {
    return deployAaveV36(request);
  }
  return deployAaveV3(request);
}
