/**
 * Safe{Wallet} Transaction Builder batch files.
 *
 * The format is the one the Transaction Builder Safe app imports and exports ("Import batch" / "Save batch"):
 *   { version: "1.0", chainId: "<decimal string>", createdAt: <ms since epoch>,
 *     meta: { name, description, txBuilderVersion, createdFromSafeAddress, createdFromOwnerAddress, checksum },
 *     transactions: [{ to, value: "<wei decimal string>", data: "0x..." | null,
 *                      contractMethod: { inputs: [{ internalType, name, type }], name, payable },
 *                      contractInputsValues: { <input name>: "<string value>" } }] }
 * The checksum is the app's own: keccak256 (UTF-8) of a canonical serialisation of the batch with `meta.name` set to
 * null and `meta.checksum` absent (object keys sorted, each object written as its key list followed by its values).
 * The app warns on import when the checksum does not match, so we compute it the same way.
 *
 * We write both `data` (the exact calldata) and `contractMethod`/`contractInputsValues` (so signers see a decoded,
 * reviewable call in the app); `decodeSafeBatch` checks that the two agree.
 */
import { z } from "zod";
import { AbiCoder, Interface, FunctionFragment, ParamType, getAddress, keccak256, toUtf8Bytes } from "ethers";

export const SAFE_BATCH_VERSION = "1.0";
/** Transaction Builder version we declare in meta (the app accepts files from other versions). */
export const SAFE_TX_BUILDER_VERSION = "1.18.0";

const hexString = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "expected 0x-prefixed hex bytes");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte address");
const decimalString = z.string().regex(/^[0-9]+$/, "expected a decimal integer string");

const contractInputSchema: z.ZodType<SafeContractInput> = z.lazy(() =>
  z
    .object({
      internalType: z.string(),
      name: z.string(),
      type: z.string(),
      components: z.array(contractInputSchema).optional(),
    })
    .strict(),
);

/** zod schema of a Transaction Builder batch file, strict on the fields the app reads. */
export const safeBatchSchema = z
  .object({
    version: z.literal(SAFE_BATCH_VERSION),
    chainId: decimalString,
    createdAt: z.number().int().positive(),
    meta: z
      .object({
        name: z.string(),
        description: z.string().optional(),
        txBuilderVersion: z.string().optional(),
        createdFromSafeAddress: z.union([address, z.literal("")]).optional(),
        createdFromOwnerAddress: z.union([address, z.literal("")]).optional(),
        checksum: z.string().regex(/^0x[0-9a-f]{64}$/).optional(),
      })
      .strict(),
    transactions: z
      .array(
        z
          .object({
            to: address,
            value: decimalString,
            data: z.union([hexString, z.null()]).optional(),
            contractMethod: z
              .object({ inputs: z.array(contractInputSchema), name: z.string().min(1), payable: z.boolean() })
              .strict()
              .optional(),
            contractInputsValues: z.record(z.string(), z.string()).nullable().optional(),
          })
          .strict(),
      )
      .min(1, "a batch needs at least one transaction"),
  })
  .strict();

export interface SafeContractInput {
  internalType: string;
  name: string;
  type: string;
  components?: SafeContractInput[];
}
export interface SafeBatchTransaction {
  to: string;
  value: string;
  data?: string | null;
  contractMethod?: { inputs: SafeContractInput[]; name: string; payable: boolean };
  contractInputsValues?: Record<string, string> | null;
}
export interface SafeBatchFile {
  version: string;
  chainId: string;
  createdAt: number;
  meta: {
    name: string;
    description?: string;
    txBuilderVersion?: string;
    createdFromSafeAddress?: string;
    createdFromOwnerAddress?: string;
    checksum?: string;
  };
  transactions: SafeBatchTransaction[];
}

/** One contract call to put in a batch (the same object the push engine sends when it executes). */
export interface BatchCall {
  to: string;
  /** The function fragment, e.g. from `contract.interface.getFunction("setModelParams")`. */
  fragment: FunctionFragment;
  args: readonly unknown[];
  valueWei?: bigint;
}

// JSON has no `undefined`: the app maps it to null before hashing.
function jsonLeaf(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
/** The Transaction Builder's canonical serialisation: sorted keys, `{["k1","k2"]v1,v2,}` per object. */
function canonicalSerialise(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalSerialise).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = `{${JSON.stringify(keys)}`;
    for (const key of keys) out += `${canonicalSerialise(record[key])},`;
    return `${out}}`;
  }
  return jsonLeaf(value);
}

/** Checksum as the Transaction Builder computes it (meta.name nulled, meta.checksum left out). */
export function safeBatchChecksum(batch: SafeBatchFile): string {
  const { checksum: _ignored, ...metaWithoutChecksum } = batch.meta;
  return keccak256(toUtf8Bytes(canonicalSerialise({ ...batch, meta: { ...metaWithoutChecksum, name: null } })));
}

function toContractInput(param: ParamType): SafeContractInput {
  const input: SafeContractInput = {
    internalType: param.type,
    name: param.name,
    type: param.type,
  };
  if (param.isTuple()) input.components = param.components.map(toContractInput);
  if (param.isArray() && param.arrayChildren.isTuple()) input.components = param.arrayChildren.components.map(toContractInput);
  return input;
}

/** JSON-able form of a nested value: tuples as arrays in component order, integers as decimal strings. */
function toJsonValue(param: ParamType, value: unknown): unknown {
  if (param.isTuple()) {
    const comps = param.components;
    const rec = value as Record<string, unknown> & unknown[];
    return comps.map((c, i) => toJsonValue(c, Array.isArray(value) ? rec[i] : rec[c.name]));
  }
  if (param.isArray()) return (value as unknown[]).map((v) => toJsonValue(param.arrayChildren, v));
  if (typeof value === "bigint" || typeof value === "number") return value.toString();
  return value;
}

/** String form of an argument as the app's input fields take it (tuples and arrays as JSON arrays). */
function inputValueString(param: ParamType, value: unknown): string {
  if (param.isTuple() || param.isArray()) return JSON.stringify(toJsonValue(param, value));
  if (typeof value === "bigint" || typeof value === "number") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}

/** Builds a Transaction Builder batch (with the app's checksum) from contract calls. Pure: pass `createdAtMs`. */
export function buildSafeBatch(req: {
  chainId: bigint | number;
  safeAddress?: string;
  name: string;
  description: string;
  calls: readonly BatchCall[];
  createdAtMs: number;
}): SafeBatchFile {
  if (req.calls.length === 0) throw new Error("buildSafeBatch: no calls to put in the batch");
  const transactions: SafeBatchTransaction[] = req.calls.map((call, i) => {
    const fragment = call.fragment;
    fragment.inputs.forEach((p, j) => {
      if (!p.name) throw new Error(`buildSafeBatch: call ${i} ${fragment.name}: input ${j} has no name (the app keys values by name)`);
    });
    const iface = new Interface([fragment]);
    const data = iface.encodeFunctionData(fragment, call.args);
    const contractInputsValues: Record<string, string> = {};
    fragment.inputs.forEach((p, j) => (contractInputsValues[p.name] = inputValueString(p, call.args[j])));
    return {
      to: getAddress(call.to),
      value: (call.valueWei ?? 0n).toString(),
      data,
      contractMethod: {
        inputs: fragment.inputs.map(toContractInput),
        name: fragment.name,
        payable: fragment.payable,
      },
      contractInputsValues,
    };
  });
  const batch: SafeBatchFile = {
    version: SAFE_BATCH_VERSION,
    chainId: BigInt(req.chainId).toString(),
    createdAt: req.createdAtMs,
    meta: {
      name: req.name,
      description: req.description,
      txBuilderVersion: SAFE_TX_BUILDER_VERSION,
      createdFromSafeAddress: req.safeAddress ? getAddress(req.safeAddress) : "",
      createdFromOwnerAddress: "",
    },
    transactions,
  };
  batch.meta.checksum = safeBatchChecksum(batch);
  return batch;
}

export interface DecodedBatchCall {
  to: string;
  valueWei: bigint;
  data: string;
  /** Function name and decoded arguments, found by selector in the ABIs given. */
  name: string;
  args: unknown[];
}

/**
 * Validates a batch file (schema + checksum) and decodes every transaction with the given ABIs.
 * Checks that `data` and `contractMethod`/`contractInputsValues` describe the same call when both are present.
 * Errors name the file (label) and the transaction index.
 */
export function decodeSafeBatch(raw: unknown, abis: readonly Interface[], label = "batch"): { batch: SafeBatchFile; calls: DecodedBatchCall[] } {
  const parsed = safeBatchSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${label}: field ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const batch = parsed.data as SafeBatchFile;
  if (batch.meta.checksum !== undefined && batch.meta.checksum !== safeBatchChecksum(batch)) {
    throw new Error(`${label}: field meta.checksum: expected ${safeBatchChecksum(batch)}, found ${batch.meta.checksum}`);
  }
  const calls = batch.transactions.map((tx, i): DecodedBatchCall => {
    let data = tx.data ?? null;
    if (data === null) {
      if (!tx.contractMethod) throw new Error(`${label}: transactions.${i}: neither data nor contractMethod`);
      data = encodeFromMethod(tx, `${label}: transactions.${i}`);
    } else if (tx.contractMethod) {
      const fromMethod = encodeFromMethod(tx, `${label}: transactions.${i}`);
      if (fromMethod.toLowerCase() !== data.toLowerCase()) {
        throw new Error(`${label}: transactions.${i}: data does not match contractMethod ${tx.contractMethod.name} with contractInputsValues`);
      }
    }
    const selector = data.slice(0, 10).toLowerCase();
    for (const iface of abis) {
      const fn = iface.getFunction(selector);
      if (fn) {
        const args = iface.decodeFunctionData(fn, data).toArray(true);
        return { to: getAddress(tx.to), valueWei: BigInt(tx.value), data, name: fn.name, args };
      }
    }
    throw new Error(`${label}: transactions.${i}: selector ${selector} is in none of the ABIs given`);
  });
  return { batch, calls };
}

function parseInputValue(param: ParamType, value: string): unknown {
  if (param.isTuple() || param.isArray()) return JSON.parse(value);
  if (param.type === "bool") return value === "true";
  return value;
}

function encodeFromMethod(tx: SafeBatchTransaction, where: string): string {
  const method = tx.contractMethod!;
  const fragment = FunctionFragment.from({
    type: "function",
    name: method.name,
    inputs: method.inputs,
    outputs: [],
    stateMutability: method.payable ? "payable" : "nonpayable",
  });
  const values = tx.contractInputsValues ?? {};
  const args = fragment.inputs.map((p) => {
    const v = values[p.name];
    if (v === undefined) throw new Error(`${where}: contractInputsValues.${p.name} missing`);
    return parseInputValue(p, v);
  });
  return fragment.selector + AbiCoder.defaultAbiCoder().encode(fragment.inputs, args).slice(2);
}
