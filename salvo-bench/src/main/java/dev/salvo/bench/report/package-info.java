/**
 * What {@code salvo bench} prints and writes: runs ({@link dev.salvo.bench.report.Measurement}),
 * medians and ratios ({@link dev.salvo.bench.report.Summary}), the text table
 * ({@link dev.salvo.bench.report.ResultTable}), the JSON document
 * ({@link dev.salvo.bench.report.BenchReport}, whose comment documents its shape) and the PNG chart
 * ({@link dev.salvo.bench.report.ChartWriter}).
 */
package dev.salvo.bench.report;
