export * from "./delegated";
export * from "./role-id";
export * from "./rules";
export * from "./scope-vocabulary";
export * from "./justification";
export * from "./delegated-vocabulary";
