/** The synthetic province under the name the demo loader uses. */
export { type GenerateOptions, type GenerateSummary, generate as generateProvince } from "./generate.ts";
