/** Merging writes of top-level sections of `deployments/<network>.json` (each writer owns its section). */
import fs from "fs";
import path from "path";
import { readAddressBook } from "./addressBook";

export function writeBookSection(file: string, key: string, value: unknown): void {
  const book = readAddressBook(file);
  book[key] = value;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(book, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n");
}

export { readAddressBook };
