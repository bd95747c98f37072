// The public part of config-file support: the error type and its problems.
export { ConfigFileError } from "./problems";
export type { ConfigProblem } from "./problems";
