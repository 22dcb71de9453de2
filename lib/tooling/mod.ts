/** The machine the tests run on: finding Chromium, and the setup step that installs what the tests need. */
export * from "./chromium.ts";
export * from "./host.ts";
export * from "./requirements.ts";
export * from "./setup.ts";
