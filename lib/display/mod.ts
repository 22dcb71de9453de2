/**
 * Display helpers: plotly figures, PNG image grids, tables, progress bars, lib source ("look inside") and the Jupyter
 * display protocol.
 */
export { bundleOf, type Displayable, inJupyter, MAX_OUTPUT_BYTES, type MimeBundle, show } from "./bundle.ts";
export { base64, imageGrid, PngImage } from "./image.ts";
export {
  LIB_SOURCE_MIME,
  LibSource,
  type LibSourceBlock,
  lookInside,
  type LookInsideOptions,
  type LookTarget,
} from "./look_inside.ts";
export { line, plot, PLOTLY_MIME, PlotlyFigure, type PlotlyTrace } from "./plotly.ts";
export { Progress } from "./progress.ts";
export { summariesIn, Summary, summary, type SummaryValue } from "./summary.ts";
export { Table, table } from "./table.ts";
