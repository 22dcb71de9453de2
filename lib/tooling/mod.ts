/** The machine the tests run on: finding Chromium, and the setup step that installs what the tests need. */
export { chromiumExecutable, findChromium } from "./chromium.ts";
export { type CommandOutcome, type Host, realHost } from "./host.ts";
export {
  CXX_REQUIREMENT,
  FASHION_MNIST_REQUIREMENT,
  KOREAN_FONT_REQUIREMENT,
  NBFORMAT_REQUIREMENT,
  type Requirement,
  REQUIREMENTS,
} from "./requirements.ts";
export { planSetup, runSetup, systemFacts } from "./setup.ts";
