export * from "./permissions";
export * from "./tier0";
