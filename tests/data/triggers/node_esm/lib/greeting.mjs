// Imported relative to the handler: proves the handler's folder is where it runs.
import { readFileSync } from "node:fs";

export function greeting() {
  return readFileSync("greeting.txt", "utf8").trim();
}
