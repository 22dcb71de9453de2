/** Display helpers: plotly figures, PNG image grids, tables, progress bars and the Jupyter display protocol. */
export * from "./bundle.ts";
export * from "./image.ts";
export * from "./plotly.ts";
export * from "./progress.ts";
export * from "./table.ts";
export * from "./summary.ts";
