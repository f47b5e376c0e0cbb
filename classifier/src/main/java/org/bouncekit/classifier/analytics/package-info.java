/**
 * Bounce analytics: a streaming, thread-safe aggregator with bounded memory
 * ({@link org.bouncekit.classifier.analytics.BounceAnalytics}) and its immutable snapshots, rendered as JSON or as a
 * self-contained HTML report.
 */
package org.bouncekit.classifier.analytics;
