import type { ContractTransactionResponse, TransactionReceipt } from "ethers";

/** Error raised when a transaction sent by the deploy code was mined but reverted or produced no receipt. */
export class DeployStepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(`deploy step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "DeployStepError";
  }
}

/**
 * Sends one transaction and waits for its receipt, naming the step in the error if it fails.
 * Works the same on the in-process Hardhat network (automine: the receipt is immediate) and on a node.
 */
export async function send(step: string, tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  try {
    const response = await tx;
    const receipt = await response.wait();
    if (receipt === null) throw new Error("no receipt");
    return receipt;
  } catch (err) {
    throw new DeployStepError(step, err);
  }
}

/** Waits for a contract deployment, naming the contract in the error if it fails. */
export async function deployed<T extends { waitForDeployment(): Promise<unknown> }>(name: string, pending: Promise<T>): Promise<T> {
  try {
    const contract = await pending;
    await contract.waitForDeployment();
    return contract;
  } catch (err) {
    throw new DeployStepError(`deploy ${name}`, err);
  }
}
