export * from "./highlight";
export * from "./rules";
export * from "./schema";
