export * from "./minqing.js";
