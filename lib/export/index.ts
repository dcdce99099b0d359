export * from "./encode";
export * from "./manifest";
export * from "./options";
export * from "./order";
export * from "./record";
export * from "./writers";
