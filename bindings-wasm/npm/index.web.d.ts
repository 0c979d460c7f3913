export * from "./minqing.js";
export { default } from "./minqing.js";
